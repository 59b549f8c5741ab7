import { z } from 'zod';
import { unixTimestampSchema } from './timestamps';
import { MAX_COMMIT_SHA, storedCount, storedText } from './limits';

/*
 * Phaset's own event payloads, as accepted on
 * POST /integration/event/{ORG_ID}/{RECORD_ID}/{WEBHOOK_TOKEN}
 * (`Event*` schemas of phaset-integration.openapi.yml). Unknown properties are
 * tolerated and dropped, as the contract does not forbid them.
 */

const optionalTimestamp = unixTimestampSchema.optional();
// Lengths and ranges of the columns these fields are stored in.
const commitSha = storedText(MAX_COMMIT_SHA, 1);
const incidentId = storedText(undefined, 1);
const optionalCount = storedCount.optional();

/** @public */
export const phasetChangeEventSchema = z.object({
  event: z.literal('change'),
  commitSha,
  timestamp: optionalTimestamp,
});

/** @public */
export const phasetDeploymentEventSchema = z.object({
  event: z.literal('deployment'),
  commitSha,
  timestamp: optionalTimestamp,
});

/** @public */
export const phasetIncidentOpenedEventSchema = z.object({
  event: z.literal('incident-opened'),
  id: incidentId,
  createdAt: unixTimestampSchema,
});

/** @public */
export const phasetIncidentResolvedEventSchema = z.object({
  event: z.literal('incident-resolved'),
  id: incidentId,
  createdAt: unixTimestampSchema,
  resolvedAt: unixTimestampSchema,
});

/** @public */
export const phasetCommentEventSchema = z.object({
  event: z.literal('comment'),
});

/** @public */
export const phasetReviewApprovedEventSchema = z.object({
  event: z.literal('review-approved'),
  createdAt: optionalTimestamp,
  submittedAt: optionalTimestamp,
});

/** @public */
export const phasetReviewChangesEventSchema = z.object({
  event: z.literal('review-changes'),
  createdAt: optionalTimestamp,
  submittedAt: optionalTimestamp,
});

/** @public */
export const phasetPrOpenedEventSchema = z.object({
  event: z.literal('pr-opened'),
  additions: optionalCount,
  changedFiles: optionalCount,
  deletions: optionalCount,
});

/** @public */
export const phasetPrClosedEventSchema = z.object({
  event: z.literal('pr-closed'),
  createdAt: optionalTimestamp,
  closedAt: optionalTimestamp,
});

/** @public */
export const phasetPrMergedEventSchema = z.object({
  event: z.literal('pr-merged'),
  createdAt: optionalTimestamp,
  mergedAt: optionalTimestamp,
});

/**
 * Any of Phaset's ten JSON events, discriminated on `event`. Timestamps parse to Dates.
 *
 * @public
 */
export const phasetJsonEventSchema = z.discriminatedUnion('event', [
  phasetChangeEventSchema,
  phasetDeploymentEventSchema,
  phasetIncidentOpenedEventSchema,
  phasetIncidentResolvedEventSchema,
  phasetCommentEventSchema,
  phasetReviewApprovedEventSchema,
  phasetReviewChangesEventSchema,
  phasetPrOpenedEventSchema,
  phasetPrClosedEventSchema,
  phasetPrMergedEventSchema,
]);

/** A parsed Phaset JSON event (timestamps as Dates). @public */
export type PhasetJsonEvent = z.output<typeof phasetJsonEventSchema>;

/** The ten event names, also the `kind` of a normalised event. @public */
export const PHASET_EVENT_KINDS = [
  'change',
  'deployment',
  'incident-opened',
  'incident-resolved',
  'comment',
  'review-approved',
  'review-changes',
  'pr-opened',
  'pr-closed',
  'pr-merged',
] as const;

/** @public */
export type PhasetEventKind = (typeof PHASET_EVENT_KINDS)[number];

/**
 * Where a normalised event came from: `phaset` for Phaset's own JSON events,
 * else the id of a webhook source of the backend's registry (its list is
 * served at `GET /api/phaset/webhooks/sources`), such as `github`.
 *
 * @public
 */
export type PhasetEventSource = string;

/** Deployment outcomes; only finished deployments become events. @public */
export const DEPLOYMENT_RESULTS = ['success', 'failure'] as const;

/** @public */
export type DeploymentResult = (typeof DEPLOYMENT_RESULTS)[number];

/**
 * Fields shared by every normalised event.
 *
 * @public
 */
export interface PhasetEventBase {
  source: PhasetEventSource;
  /**
   * When the thing happened: commit time, deployment finish, incident opened or
   * resolved, comment or review posted, PR opened/closed/merged. Always set so
   * that every event can be ordered and bucketed by time.
   */
  timestamp: Date;
  /**
   * Stable identity of the underlying object in the source tool, such as
   * `github:review:123`. Together with `kind` it is a dedup key: the same
   * object reported twice (redelivery, or two hooks firing for one merge)
   * yields the same key.
   */
  externalId?: string;
  /**
   * Where a person sees the thing in its tool (commit, deployment, issue or
   * pull request page), when the payload gives one; only http(s) URLs.
   */
  url?: string;
}

/** A commit reached the repository (start of lead time). @public */
export interface PhasetChangeEvent extends PhasetEventBase {
  kind: 'change';
  commitSha: string;
  branch?: string;
}

/**
 * A finished deployment, successful or not. Only successful production
 * deployments count for DORA (docs/metrics.md); failed ones are kept with
 * their result.
 *
 * @public
 */
export interface PhasetDeploymentEvent extends PhasetEventBase {
  kind: 'deployment';
  /** Absent when the tool does not say which commit was deployed (Azure releases). */
  commitSha?: string;
  environment?: string;
  result: DeploymentResult;
  deploymentId?: string;
}

/** @public */
export interface PhasetIncidentOpenedEvent extends PhasetEventBase {
  kind: 'incident-opened';
  /** Incident identity within its source; pair with `source` across tools. */
  id: string;
  createdAt: Date;
}

/** Time to restore = resolvedAt − createdAt (of this event or the opened one). @public */
export interface PhasetIncidentResolvedEvent extends PhasetEventBase {
  kind: 'incident-resolved';
  id: string;
  createdAt?: Date;
  resolvedAt: Date;
}

/** @public */
export interface PhasetCommentEvent extends PhasetEventBase {
  kind: 'comment';
  target?: 'issue' | 'pr';
}

/**
 * A review verdict. Adapters set `createdAt` to the PR's creation time, so
 * review time = submittedAt − createdAt of the first review of a prId.
 *
 * @public
 */
export interface PhasetReviewEvent extends PhasetEventBase {
  kind: 'review-approved' | 'review-changes';
  prId?: string;
  createdAt?: Date;
  submittedAt?: Date;
}

/** Review size = additions + deletions. @public */
export interface PhasetPrOpenedEvent extends PhasetEventBase {
  kind: 'pr-opened';
  prId?: string;
  createdAt?: Date;
  additions?: number;
  deletions?: number;
  changedFiles?: number;
}

/** @public */
export interface PhasetPrClosedEvent extends PhasetEventBase {
  kind: 'pr-closed';
  prId?: string;
  createdAt?: Date;
  closedAt?: Date;
}

/** Merge time = mergedAt − createdAt. @public */
export interface PhasetPrMergedEvent extends PhasetEventBase {
  kind: 'pr-merged';
  prId?: string;
  createdAt?: Date;
  mergedAt?: Date;
}

/**
 * The normalised event every source maps to; used for storage and metrics.
 *
 * @public
 */
export type PhasetEvent =
  | PhasetChangeEvent
  | PhasetDeploymentEvent
  | PhasetIncidentOpenedEvent
  | PhasetIncidentResolvedEvent
  | PhasetCommentEvent
  | PhasetReviewEvent
  | PhasetPrOpenedEvent
  | PhasetPrClosedEvent
  | PhasetPrMergedEvent;

/**
 * Converts a parsed Phaset JSON event to its normalised form. Missing
 * timestamps default to `now()`, as Phaset uses the receipt time for them.
 *
 * @public
 */
export function normalisePhasetJsonEvent(
  event: PhasetJsonEvent,
  now: () => Date = () => new Date(),
): PhasetEvent {
  const source = 'phaset';
  switch (event.event) {
    case 'change':
      return {
        kind: 'change',
        source,
        commitSha: event.commitSha,
        timestamp: event.timestamp ?? now(),
      };
    case 'deployment':
      // Phaset's deployment event means "successfully deployed to production".
      return {
        kind: 'deployment',
        source,
        commitSha: event.commitSha,
        result: 'success',
        timestamp: event.timestamp ?? now(),
      };
    case 'incident-opened':
      return {
        kind: 'incident-opened',
        source,
        id: event.id,
        createdAt: event.createdAt,
        timestamp: event.createdAt,
      };
    case 'incident-resolved':
      return {
        kind: 'incident-resolved',
        source,
        id: event.id,
        createdAt: event.createdAt,
        resolvedAt: event.resolvedAt,
        timestamp: event.resolvedAt,
      };
    case 'comment':
      return { kind: 'comment', source, timestamp: now() };
    case 'review-approved':
    case 'review-changes':
      return {
        kind: event.event,
        source,
        createdAt: event.createdAt,
        submittedAt: event.submittedAt,
        timestamp: event.submittedAt ?? now(),
      };
    case 'pr-opened':
      return {
        kind: 'pr-opened',
        source,
        additions: event.additions,
        deletions: event.deletions,
        changedFiles: event.changedFiles,
        timestamp: now(),
      };
    case 'pr-closed':
      return {
        kind: 'pr-closed',
        source,
        createdAt: event.createdAt,
        closedAt: event.closedAt,
        timestamp: event.closedAt ?? now(),
      };
    case 'pr-merged':
      return {
        kind: 'pr-merged',
        source,
        createdAt: event.createdAt,
        mergedAt: event.mergedAt,
        timestamp: event.mergedAt ?? now(),
      };
    default: {
      // Unreachable while the schema and this switch list the same events.
      const unknown: never = event;
      throw new Error(`Unknown Phaset event ${JSON.stringify(unknown)}`);
    }
  }
}
