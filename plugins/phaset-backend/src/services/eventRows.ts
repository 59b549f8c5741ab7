import { randomUUID } from 'crypto';
import { InputError } from '@backstage/errors';
import { PhasetEvent } from '@internal/backstage-plugin-phaset-common';
import { EventRow } from '../database/tables';

/** Longest value stored in an indexed text column. */
const MAX_FIELD = 255;
/** Longest identity (external or delivery id). */
export const MAX_ID = 1000;

type EventFields = Partial<{
  commitSha: string;
  branch: string;
  environment: string;
  result: string;
  deploymentId: string;
  id: string;
  createdAt: Date;
  resolvedAt: Date;
  prId: string;
  mergedAt: Date;
  closedAt: Date;
  submittedAt: Date;
  additions: number;
  deletions: number;
  changedFiles: number;
  target: string;
}>;

/** A text field within its column's length, or a 400 naming it. */
export function boundedText(
  field: string,
  value: string | undefined,
  max = MAX_FIELD,
) {
  if (value !== undefined && value.length > max) {
    throw new InputError(`${field}: longer than ${max} characters`);
  }
  return value ?? null;
}

/**
 * One normalised event as a row of `phaset_events`. Its `external_id` is what
 * deduplicates it: the identity the adapter gave it, else a deployment's id.
 */
export function toEventRow(
  event: PhasetEvent,
  context: {
    recordId: string;
    rawId: string;
    tokenId: string;
    /** Lower-cased; deployments elsewhere are stored, not counted. */
    productionEnvironments: string[];
  },
): EventRow {
  const e = event as PhasetEvent & EventFields;
  const externalId =
    e.externalId ??
    (e.deploymentId ? `${e.source}:deployment:${e.deploymentId}` : undefined);
  const isIncident =
    e.kind === 'incident-opened' || e.kind === 'incident-resolved';
  const isPr = e.kind.startsWith('pr-') || e.kind.startsWith('review-');
  return {
    id: randomUUID(),
    record_id: context.recordId,
    raw_event_id: context.rawId,
    token_id: context.tokenId,
    source: e.source,
    kind: e.kind,
    external_id: boundedText('externalId', externalId, MAX_ID),
    occurred_at: e.timestamp,
    commit_sha: boundedText('commitSha', e.commitSha),
    branch: boundedText('branch', e.branch),
    environment: boundedText('environment', e.environment),
    result: e.kind === 'deployment' ? e.result : null,
    // Without an environment (Phaset's own event) a deployment is production.
    is_production:
      e.kind === 'deployment'
        ? e.environment === undefined ||
          context.productionEnvironments.includes(e.environment.toLowerCase())
        : null,
    deployment_id: boundedText('deploymentId', e.deploymentId),
    incident_id: isIncident ? boundedText('id', e.id) : null,
    opened_at: isIncident ? e.createdAt ?? null : null,
    resolved_at: e.resolvedAt ?? null,
    pr_id: boundedText('prId', e.prId),
    pr_created_at: isPr ? e.createdAt ?? null : null,
    merged_at: e.mergedAt ?? null,
    closed_at: e.closedAt ?? null,
    submitted_at: e.submittedAt ?? null,
    additions: e.additions ?? null,
    deletions: e.deletions ?? null,
    changed_files: e.changedFiles ?? null,
    target: e.target ?? null,
  };
}
