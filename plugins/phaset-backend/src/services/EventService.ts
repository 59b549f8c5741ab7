import { createHash, randomUUID } from 'crypto';
import { AuthenticationError, InputError } from '@backstage/errors';
import { PhasetEvent } from '@internal/backstage-plugin-phaset-common';
import { PhasetConfig } from '../config';
import {
  EventRow,
  EventStore,
  IngestOutcome,
  StoredEvent,
} from '../database/EventStore';
import { RecordStore } from '../database/RecordStore';
import { toDate } from '../database/time';
import {
  AdapterResult,
  DEFAULT_INCIDENT_LABEL,
  detectAndAdapt,
  WebhookHeaders,
} from '../webhooks/adapters';
import {
  adaptDevlakeClose,
  adaptDevlakeDeployment,
  adaptDevlakeIssue,
} from '../webhooks/adapters/devlake';
import { verifySignature } from '../webhooks/signatures';
import { IngestBatcher } from './IngestBatcher';
import { RateLimiter } from './RateLimiter';
import { TokenService } from './TokenService';

export const DEFAULT_PRODUCTION_ENVIRONMENTS = ['production', 'prod'];

/**
 * Which DevLake endpoint a delivery came to; kept with the raw event so that a
 * recomputation can replay it (the path is not stored otherwise).
 */
const DEVLAKE_ENDPOINT_HEADER = 'x-phaset-devlake-endpoint';

/** Headers kept with a raw event: what identifies it, never a secret. */
const KEPT_HEADERS = [
  'content-type',
  'user-agent',
  'x-github-event',
  'x-github-delivery',
  'x-github-hook-id',
  'x-gitlab-event',
  'x-gitlab-event-uuid',
  'x-gitlab-webhook-uuid',
  'x-event-key',
  'x-request-uuid',
  'x-hook-uuid',
  'linear-event',
  'linear-delivery',
  DEVLAKE_ENDPOINT_HEADER,
];

/** Longest value stored in an indexed text column. */
const MAX_FIELD = 255;
const MAX_ID = 1000;

/** How long a Record's organisation is reused by the event endpoint. */
const RECORD_TTL_MS = 1000;

export type IngestResponse =
  | { status: 200; body: IngestOutcome }
  | { status: 202; body: { ignored: string } };

export type DevlakeEndpoint =
  | { kind: 'deployments' }
  | { kind: 'issues' }
  | { kind: 'close'; issueKey: string };

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

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Identity of a Phaset JSON event that names none. Events are keyed by the
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

function text(field: string, value: string | undefined, max = MAX_FIELD) {
  if (value !== undefined && value.length > max) {
    throw new InputError(`${field}: longer than ${max} characters`);
  }
  return value ?? null;
}

function headersOf(raw: Record<string, string | string[] | undefined>) {
  const headers: WebhookHeaders = {};
  for (const [name, value] of Object.entries(raw)) {
    headers[name.toLowerCase()] = Array.isArray(value)
      ? value.join(', ')
      : value;
  }
  return headers;
}

/** Bearer token, or the password of basic auth (DevLake's `-u user:password`). */
function headerToken(authorization: string | undefined): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (bearer) {
    return bearer[1];
  }
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return undefined;
}

/**
 * Maps one delivery to normalised events; the same at receipt and when a
 * recomputation replays the stored delivery. `receivedAt` stands in for times
 * the delivery does not carry.
 */
function adaptDelivery(
  headers: WebhookHeaders,
  body: unknown,
  receivedAt: Date,
  incidentLabel: string,
): AdapterResult & { source: string } {
  const devlake = headers[DEVLAKE_ENDPOINT_HEADER];
  if (devlake === undefined) {
    return detectAndAdapt(headers, body, {
      incidentLabel,
      now: () => receivedAt,
    });
  }
  let result: AdapterResult;
  if (devlake === 'deployments') {
    result = adaptDevlakeDeployment(body, receivedAt);
  } else if (devlake === 'issues') {
    result = adaptDevlakeIssue(body, receivedAt, incidentLabel);
  } else {
    result = adaptDevlakeClose(devlake.replace(/^close:/, ''), receivedAt);
  }
  return { source: 'devlake', ...result };
}

/**
 * Webhook ingestion: authenticate the path token, verify the tool's signature
 * on the raw body, parse, map to normalised events and store them through the
 * batcher. Rejections after the token matched are counted on the webhook.
 */
export class EventService {
  private readonly recordCache = new Map<
    string,
    { expires: number; organizationId: Promise<string | undefined> }
  >();

  constructor(
    private readonly store: EventStore,
    private readonly batcher: IngestBatcher,
    private readonly records: RecordStore,
    private readonly tokens: TokenService,
    private readonly config: PhasetConfig,
    private readonly rateLimiter: RateLimiter,
  ) {}

  /** POST /integration/event/{org}/{record}/{token}. */
  async ingestEvent(input: {
    organizationId: string;
    recordId: string;
    token: string;
    headers: Record<string, string | string[] | undefined>;
    raw: Buffer;
  }): Promise<IngestResponse> {
    const headers = headersOf(input.headers);
    // Set by the DevLake routes only.
    delete headers[DEVLAKE_ENDPOINT_HEADER];
    const credential = await this.authenticate(
      input.organizationId,
      input.recordId,
      input.token,
    );
    const settings = this.settings(input.recordId);
    return this.process(
      input.recordId,
      credential,
      headers,
      input.raw,
      (body, receivedAt) => {
        const result = adaptDelivery(
          headers,
          body,
          receivedAt,
          settings.incidentLabel,
        );
        if (credential.source !== 'ci' && result.source !== credential.source) {
          throw new InputError(
            `This webhook was generated for ${credential.source}; the request is a ${result.source} event`,
          );
        }
        return result;
      },
    );
  }

  /** DevLake's incoming webhook, POST /devlake/{record}/... */
  async ingestDevlake(input: {
    recordId: string;
    pathToken?: string;
    endpoint: DevlakeEndpoint;
    headers: Record<string, string | string[] | undefined>;
    raw: Buffer;
  }): Promise<IngestResponse> {
    const headers = headersOf(input.headers);
    const token = input.pathToken ?? headerToken(headers.authorization);
    if (!token) {
      throw new AuthenticationError(
        'Missing token: send Authorization: Bearer <token>',
      );
    }
    const credential = await this.authenticate(
      undefined,
      input.recordId,
      token,
    );
    if (credential.source !== 'ci' && credential.source !== 'devlake') {
      await this.tokens.countRejected(credential.id);
      throw new InputError(
        `This webhook was generated for ${credential.source}, not devlake`,
      );
    }
    const { endpoint, recordId } = input;
    const settings = this.settings(recordId);
    if (
      endpoint.kind === 'close' &&
      !(await this.store.hasIncident(recordId, 'devlake', endpoint.issueKey))
    ) {
      return {
        status: 202,
        body: {
          ignored: `no incident "${endpoint.issueKey}" from DevLake on this Record`,
        },
      };
    }
    headers[DEVLAKE_ENDPOINT_HEADER] =
      endpoint.kind === 'close' ? `close:${endpoint.issueKey}` : endpoint.kind;
    return this.process(
      recordId,
      credential,
      headers,
      input.raw,
      (body, receivedAt) =>
        adaptDelivery(headers, body, receivedAt, settings.incidentLabel),
      endpoint.kind === 'close',
    );
  }

  listEvents(recordId: string): Promise<StoredEvent[]> {
    return this.store.listEvents(recordId);
  }

  /** Deletes every event a webhook brought, after in-flight writes settle. */
  async deleteWebhookData(tokenId: string): Promise<void> {
    await this.batcher.idle();
    await this.store.transaction(tx => this.store.deleteByToken(tx, tokenId));
  }

  private settings(recordId: string) {
    const record = this.config.records.find(r => r.id === recordId);
    return {
      incidentLabel: record?.incidentLabel || DEFAULT_INCIDENT_LABEL,
      productionEnvironments: (
        record?.productionEnvironments ?? DEFAULT_PRODUCTION_ENVIRONMENTS
      ).map(e => e.toLowerCase()),
    };
  }

  private async authenticate(
    organizationId: string | undefined,
    recordId: string,
    token: string,
  ) {
    this.rateLimiter.take(recordId);
    let cached = this.recordCache.get(recordId);
    if (!cached || cached.expires < Date.now()) {
      cached = {
        expires: Date.now() + RECORD_TTL_MS,
        organizationId: this.records.get(recordId).then(r => r?.organizationId),
      };
      this.recordCache.set(recordId, cached);
      cached.organizationId.catch(() => this.recordCache.delete(recordId));
    }
    const actualOrg = await cached.organizationId;
    // Every failure is the same 401: the URL reveals nothing about which part was wrong.
    if (
      !actualOrg ||
      (organizationId !== undefined && actualOrg !== organizationId)
    ) {
      throw new AuthenticationError('Invalid webhook token for this Record');
    }
    return this.tokens.authenticateWebhook(recordId, token);
  }

  private rowsFor(
    recordId: string,
    rawId: string,
    tokenId: string,
    result: { source: string; events: PhasetEvent[] },
    body: unknown,
  ): EventRow[] {
    const identity =
      result.source === 'phaset'
        ? phasetIdentity(body as Record<string, unknown>)
        : undefined;
    const { productionEnvironments } = this.settings(recordId);
    return result.events.map(event =>
      toRow(event, {
        recordId,
        rawId,
        tokenId,
        identity,
        productionEnvironments,
      }),
    );
  }

  /**
   * Rebuilds a Record's normalised events from its raw deliveries, replayed
   * in arrival order through the same mapping, with today's settings
   * (production environments, incident label). Signatures were checked at
   * receipt and are not checked again.
   */
  async recompute(
    recordId: string,
  ): Promise<{ deliveries: number; events: number }> {
    await this.batcher.idle();
    const { incidentLabel } = this.settings(recordId);
    const raws = await this.store.rawEvents(recordId);
    const rows = raws.flatMap(raw => {
      const headers: WebhookHeaders = JSON.parse(raw.headers);
      const body = raw.body.trim() === '' ? undefined : JSON.parse(raw.body);
      const result = adaptDelivery(
        headers,
        body,
        toDate(raw.received_at),
        incidentLabel,
      );
      return 'events' in result
        ? this.rowsFor(recordId, raw.id, raw.token_id, result, body)
        : [];
    });
    const events = await this.store.replaceEvents(recordId, rows);
    return { deliveries: raws.length, events };
  }

  private async process(
    recordId: string,
    credential: { id: string; source: string; signingSecret?: string },
    headers: WebhookHeaders,
    raw: Buffer,
    adapt: (
      body: unknown,
      receivedAt: Date,
    ) => AdapterResult & { source: string },
    emptyBody = false,
  ): Promise<IngestResponse> {
    let result: AdapterResult & { source: string };
    let rows: { deliveryId: string | null; events: EventRow[] };
    const rawId = randomUUID();
    const receivedAt = new Date();
    try {
      if (credential.signingSecret) {
        verifySignature(
          credential.source,
          credential.signingSecret,
          headers,
          raw,
        );
      }
      const body = emptyBody ? undefined : parseJson(raw);
      result = adapt(body, receivedAt);
      if (!('events' in result)) {
        return { status: 202, body: { ignored: result.ignored } };
      }
      if (result.events.length === 0) {
        return {
          status: 202,
          body: { ignored: 'the delivery carries no event' },
        };
      }
      rows = {
        deliveryId: text('deliveryId', result.deliveryId, MAX_ID),
        events: this.rowsFor(recordId, rawId, credential.id, result, body),
      };
    } catch (error) {
      await this.tokens.countRejected(credential.id);
      throw error;
    }
    const kept: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      if (headers[name] !== undefined) {
        kept[name] = headers[name]!;
      }
    }
    const outcome = await this.batcher.submit({
      raw: {
        id: rawId,
        record_id: recordId,
        token_id: credential.id,
        source: result.source,
        delivery_id: rows.deliveryId,
        headers: JSON.stringify(kept),
        body: raw.toString('utf8'),
        received_at: receivedAt,
      },
      events: rows.events,
    });
    return { status: 200, body: outcome };
  }
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new InputError(`Malformed JSON body: ${(error as Error).message}`);
  }
}

function toRow(
  event: PhasetEvent,
  context: {
    recordId: string;
    rawId: string;
    tokenId: string;
    identity?: string;
    productionEnvironments: string[];
  },
): EventRow {
  const e = event as PhasetEvent & EventFields;
  const externalId =
    e.externalId ??
    context.identity ??
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
    external_id: text('externalId', externalId, MAX_ID),
    occurred_at: e.timestamp,
    commit_sha: text('commitSha', e.commitSha),
    branch: text('branch', e.branch),
    environment: text('environment', e.environment),
    result: e.kind === 'deployment' ? e.result : null,
    // Without an environment (Phaset's own event) a deployment is production.
    is_production:
      e.kind === 'deployment'
        ? e.environment === undefined ||
          context.productionEnvironments.includes(e.environment.toLowerCase())
        : null,
    deployment_id: text('deploymentId', e.deploymentId),
    incident_id: isIncident ? text('id', e.id) : null,
    opened_at: isIncident ? e.createdAt ?? null : null,
    resolved_at: e.resolvedAt ?? null,
    pr_id: text('prId', e.prId),
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
