import { createHash, randomUUID } from 'crypto';
import { InputError } from '@backstage/errors';
import {
  isStorableText,
  MAX_COMMIT_SHA,
  MAX_STORED_INTEGER,
  MAX_STORED_TEXT,
  MAX_STORED_URL,
  NUL_MESSAGE,
  PhasetEvent,
} from '@internal/backstage-plugin-phaset-common';
import { EventRow } from '../database/tables';

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
  url: string;
}>;

/** A lone UTF-16 surrogate: half of a character, which no engine stores alike. */
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A text field its column can hold (length, no NUL), or a 400 naming it. A
 * lone surrogate (from a JSON `\ud800` escape) becomes U+FFFD, as UTF-8
 * decoding does, so that both engines store the same text.
 */
function boundedText(
  field: string,
  value: string | undefined,
  max = MAX_STORED_TEXT,
) {
  if (value !== undefined && value.length > max) {
    throw new InputError(`${field}: longer than ${max} characters`);
  }
  if (value !== undefined && !isStorableText(value)) {
    throw new InputError(`${field}: ${NUL_MESSAGE}`);
  }
  return value?.replace(LONE_SURROGATE, '\ufffd') ?? null;
}

/**
 * An identity (external or delivery id) as stored: as given when its column
 * can hold it, else its SHA-256, which deduplicates just as well.
 */
export function storedIdentity(value: string | undefined): string | null {
  if (value === undefined) {
    return null;
  }
  return value.length <= MAX_STORED_TEXT &&
    isStorableText(value) &&
    value.search(LONE_SURROGATE) === -1
    ? value
    : `sha256:${createHash('sha256').update(value, 'utf8').digest('hex')}`;
}

/**
 * A link shown to people as is: only an absolute http(s) URL that fits its
 * column, else none. A bad link never refuses the delivery it came with.
 */
export function linkUrl(value: string | undefined): string | null {
  if (
    value === undefined ||
    value.length > MAX_STORED_URL ||
    !isStorableText(value)
  ) {
    return null;
  }
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:' ? value : null;
  } catch {
    return null;
  }
}

/** A count its `integer` column can hold, or a 400 naming it. */
function boundedCount(field: string, value: number | undefined) {
  if (value === undefined) {
    return null;
  }
  if (!Number.isInteger(value) || value < 0 || value > MAX_STORED_INTEGER) {
    throw new InputError(
      `${field}: must be an integer from 0 to ${MAX_STORED_INTEGER}`,
    );
  }
  return value;
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
    external_id: storedIdentity(externalId),
    occurred_at: e.timestamp,
    commit_sha: boundedText('commitSha', e.commitSha, MAX_COMMIT_SHA),
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
    additions: boundedCount('additions', e.additions),
    deletions: boundedCount('deletions', e.deletions),
    changed_files: boundedCount('changedFiles', e.changedFiles),
    target: e.target ?? null,
    url: linkUrl(e.url),
  };
}
