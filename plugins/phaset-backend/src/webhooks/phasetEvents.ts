import { createHash } from 'crypto';
import { InputError } from '@backstage/errors';
import {
  normalisePhasetJsonEvent,
  phasetJsonEventSchema,
} from '@internal/backstage-plugin-phaset-common';
import { AdapterOptions, AdapterResult } from './types';

/** The `source` of Phaset's own JSON events (what CI sends). */
export const PHASET_SOURCE = 'phaset';

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Identity of a Phaset JSON event, which names none. Events are keyed by the
 * fields that identify them (a change by its commit, an incident by its id, a
 * deployment by commit and time, PR and review events by their timestamps); a
 * re-sent event is then stored once. Events without such fields (comment,
 * pr-opened, a deployment without timestamp) can be sent twice on purpose
 * and are never deduplicated.
 */
function phasetIdentity(body: Record<string, unknown>): string | undefined {
  const { event } = body;
  const keyed = (fields: string[], required: string[] = []) => {
    const present = fields.filter(f => body[f] !== undefined);
    if (present.length === 0 || required.some(f => body[f] === undefined)) {
      return undefined;
    }
    const canonical = present.map(f => `${f}=${String(body[f])}`).join('&');
    return `phaset:${event}:${sha256(canonical)}`;
  };
  switch (event) {
    case 'change':
      return `phaset:change:${body.commitSha}`;
    case 'incident-opened':
    case 'incident-resolved':
      return `phaset:incident:${body.id}`;
    case 'deployment':
      return keyed(['commitSha', 'timestamp'], ['timestamp']);
    case 'review-approved':
    case 'review-changes':
      return keyed(['createdAt', 'submittedAt']);
    case 'pr-closed':
      return keyed(['createdAt', 'closedAt']);
    case 'pr-merged':
      return keyed(['createdAt', 'mergedAt']);
    default:
      return undefined;
  }
}

/** One of Phaset's ten JSON events, with the identity that deduplicates it. */
export function adaptPhasetEvent(
  body: unknown,
  options: Pick<AdapterOptions, 'now'>,
): AdapterResult {
  const parsed = phasetJsonEventSchema.safeParse(body);
  if (!parsed.success) {
    throw new InputError(
      `Not a supported webhook nor a valid Phaset event: ${parsed.error.issues
        .map(issue => `${issue.path.join('.') || 'body'}: ${issue.message}`)
        .join('; ')}`,
    );
  }
  const event = normalisePhasetJsonEvent(parsed.data, options.now);
  const externalId = phasetIdentity(body as Record<string, unknown>);
  return { events: [externalId ? { ...event, externalId } : event] };
}
