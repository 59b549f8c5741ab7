import { randomUUID } from 'crypto';
import { AuthenticationError, InputError } from '@backstage/errors';
import {
  isStorableText,
  NUL_MESSAGE,
} from '@internal/backstage-plugin-phaset-common';
import { PhasetConfig } from '../config';
import {
  EventStore,
  IngestJob,
  StoredDelivery,
  StoredEvent,
  WriteOutcome,
} from '../database/EventStore';
import { Page, PageRequest } from '../database/paging';
import { RecordStore } from '../database/RecordStore';
import { toDate } from '../database/time';
import {
  adaptDelivery,
  CI_SOURCE,
  DEFAULT_INCIDENT_LABEL,
  detectSource,
  webhookSource,
} from '../webhooks/registry';
import { basicAuthPassword, verifySignature } from '../webhooks/signing';
import { closeEndpoint } from '../webhooks/sources/devlake/adapter';
import { devlake } from '../webhooks/sources/devlake';
import { AdapterResult, WebhookHeaders } from '../webhooks/types';
import { storedIdentity, toEventRow } from './eventRows';
import type { DoraFactWorker } from './DoraFactWorker';
import { IngestBatcher } from './IngestBatcher';
import { RateLimiter } from './RateLimiter';
import { RecordCache } from './RecordCache';
import { TokenService } from './TokenService';

export const DEFAULT_PRODUCTION_ENVIRONMENTS = ['production', 'prod'];

/** Headers kept with every raw delivery, besides its tool's delivery headers. */
const COMMON_KEPT_HEADERS = ['content-type', 'user-agent'];

/** What became of a delivery: stored (some events may be duplicates) or ignored. */
export type IngestOutcome = WriteOutcome | { ignored: string };

export type DevlakeEndpoint =
  | { kind: 'deployments' }
  | { kind: 'issues' }
  | { kind: 'close'; issueKey: string };

type Webhook = Awaited<ReturnType<TokenService['authenticateWebhook']>>;

/** One delivery as a route received it. */
type Delivery = {
  recordId: string;
  headers: WebhookHeaders;
  raw: Buffer;
  receivedAt: Date;
  /** The JSON body, parsed on first use (after the signature check). */
  body: () => unknown;
  /** Set by routes of a tool's own (DevLake): its source and endpoint. */
  source?: string;
  endpoint?: string;
};

function receive(
  received: Omit<Delivery, 'body' | 'receivedAt' | 'headers'> & {
    headers: WebhookHeaders;
    /** DevLake's close carries no body. */
    bodyless?: boolean;
  },
): Delivery {
  let parsed: { body: unknown } | undefined;
  const { bodyless, ...delivery } = received;
  return {
    ...delivery,
    receivedAt: new Date(),
    body: () => {
      parsed ??= { body: bodyless ? undefined : parseJson(delivery.raw) };
      return parsed.body;
    },
  };
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
  return bearer ? bearer[1] : basicAuthPassword(authorization);
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new InputError(`Malformed JSON body: ${(error as Error).message}`);
  }
}

/** A stored body as the adapters read it at receipt (a bodyless close: none). */
function storedBody(body: string): unknown {
  try {
    return body.trim() === '' ? undefined : JSON.parse(body);
  } catch {
    return undefined;
  }
}

function keptHeaders(source: string, headers: WebhookHeaders) {
  const names = [
    ...COMMON_KEPT_HEADERS,
    ...(webhookSource(source)?.deliveryHeaders ?? []),
  ];
  const kept: Record<string, string> = {};
  for (const name of names) {
    if (headers[name] !== undefined) kept[name] = headers[name]!;
  }
  return kept;
}

/**
 * Event ingestion, one pipeline for every route and tool:
 *
 * 1. authenticate: the Record and its token (then rate-limited per Record);
 * 2. detect the source: the tool a webhook was generated for, or for a `ci`
 *    token whatever tool the delivery is from (else a Phaset JSON event);
 * 3. verify the signature on the raw bytes, for webhooks with a secret;
 * 4. adapt the delivery to normalised events;
 * 5. deduplicate: the delivery's id and each event's identity become the
 *    keys the store's unique indexes skip repeats on;
 * 6. store, through the batcher (answered once committed), then have the
 *    DORA facts folded from the new events, after the answer.
 *
 * Steps 2-5 count a refusal on the webhook. Outcomes are returned, never
 * HTTP statuses: the routes map them.
 */
export class EventService {
  private readonly records: RecordCache;

  constructor(
    private readonly store: EventStore,
    private readonly batcher: IngestBatcher,
    private readonly facts: Pick<DoraFactWorker, 'notify'>,
    recordStore: RecordStore,
    private readonly tokens: TokenService,
    private readonly config: PhasetConfig,
    private readonly rateLimiter: RateLimiter,
  ) {
    this.records = new RecordCache(async id => {
      const record = await recordStore.get(id);
      return record?.organizationId;
    });
  }

  /** POST /integration/event/{org}/{record}/{token}. */
  async ingestEvent(input: {
    organizationId: string;
    recordId: string;
    token: string;
    headers: Record<string, string | string[] | undefined>;
    raw: Buffer;
  }): Promise<IngestOutcome> {
    const webhook = await this.authenticate(
      input.recordId,
      input.token,
      input.organizationId,
    );
    return this.ingest(
      webhook,
      receive({
        recordId: input.recordId,
        headers: headersOf(input.headers),
        raw: input.raw,
      }),
    );
  }

  /** DevLake's incoming webhook, POST /devlake/{record}/... */
  async ingestDevlake(input: {
    recordId: string;
    pathToken?: string;
    endpoint: DevlakeEndpoint;
    headers: Record<string, string | string[] | undefined>;
    raw: Buffer;
  }): Promise<IngestOutcome> {
    const headers = headersOf(input.headers);
    const token = input.pathToken ?? headerToken(headers.authorization);
    if (!token) {
      throw new AuthenticationError(
        'Missing token: send Authorization: Bearer <token>',
      );
    }
    const webhook = await this.authenticate(input.recordId, token);
    if (webhook.source !== CI_SOURCE && webhook.source !== devlake.id) {
      await this.tokens.countRejected(webhook.id);
      throw new InputError(
        `This webhook was generated for ${webhook.source}, not ${devlake.id}`,
      );
    }
    const { endpoint, recordId } = input;
    if (
      endpoint.kind === 'close' &&
      !(await this.store.hasIncident(recordId, devlake.id, endpoint.issueKey))
    ) {
      return {
        ignored: `no incident "${endpoint.issueKey}" from DevLake on this Record`,
      };
    }
    return this.ingest(
      webhook,
      receive({
        recordId,
        headers,
        raw: input.raw,
        source: devlake.id,
        endpoint:
          endpoint.kind === 'close'
            ? closeEndpoint(endpoint.issueKey)
            : endpoint.kind,
        bodyless: endpoint.kind === 'close',
      }),
    );
  }

  /** Steps 2-6 of the pipeline, for an authenticated webhook. */
  private async ingest(
    webhook: Webhook,
    delivery: Delivery,
  ): Promise<IngestOutcome> {
    let job: IngestJob;
    try {
      const source = this.detect(webhook, delivery);
      this.verify(webhook, delivery);
      const result = this.adapt(webhook, source, delivery);
      if ('ignored' in result) {
        return result;
      }
      if (result.events.length === 0) {
        return { ignored: 'the delivery carries no event' };
      }
      job = this.deduplicationKeys(webhook, source, delivery, result);
    } catch (error) {
      await this.tokens.countRejected(webhook.id);
      throw error;
    }
    try {
      const outcome = await this.batcher.submit(job);
      if (outcome.accepted > 0) this.facts.notify([delivery.recordId]);
      return outcome;
    } catch (error) {
      // The Record was deleted (here or on another instance) after its token
      // matched: its rows may no longer be written, and the token is void.
      if (isForeignKeyViolation(error)) {
        throw this.tokens.refusal();
      }
      throw error;
    }
  }

  /** 1. The Record exists (in this organisation) and the token is one of its own. */
  private async authenticate(
    recordId: string,
    token: string,
    organizationId?: string,
  ): Promise<Webhook> {
    const actualOrg = await this.records.organizationOf(recordId);
    // Every failure is the same 401: the URL reveals nothing about which part was wrong.
    if (
      !actualOrg ||
      (organizationId !== undefined && actualOrg !== organizationId)
    ) {
      throw this.tokens.refusal();
    }
    const webhook = await this.tokens.authenticateWebhook(recordId, token);
    // Only the Record's own callers spend its budget.
    this.rateLimiter.take(recordId);
    return webhook;
  }

  /**
   * 2. A tool's route or webhook fixes the source (step 4 checks the delivery
   * is that tool's); a `ci` token takes whatever tool the delivery is from.
   */
  private detect(webhook: Webhook, delivery: Delivery): string {
    if (delivery.source) return delivery.source;
    if (webhook.source !== CI_SOURCE) return webhook.source;
    return detectSource(delivery.headers, delivery.body());
  }

  /** 3. On the raw bytes, before anything is parsed. */
  private verify(webhook: Webhook, delivery: Delivery) {
    const tool = webhookSource(webhook.source);
    if (webhook.signingSecret && tool) {
      verifySignature(
        tool,
        webhook.signingSecret,
        delivery.headers,
        delivery.raw,
      );
    }
  }

  /** 4. A tool's webhook accepts only that tool's deliveries. */
  private adapt(
    webhook: Webhook,
    source: string,
    delivery: Delivery,
  ): AdapterResult {
    const body = delivery.body();
    if (!delivery.source && webhook.source !== CI_SOURCE) {
      const sent = detectSource(delivery.headers, body);
      if (sent !== source) {
        throw new InputError(
          `This webhook was generated for ${source}; the request is a ${sent} event`,
        );
      }
    }
    return adaptDelivery(source, delivery.headers, body, {
      incidentLabel: this.settings(delivery.recordId).incidentLabel,
      now: () => delivery.receivedAt,
      endpoint: delivery.endpoint,
    });
  }

  /** 5. The raw delivery (keyed by its delivery id) and its event rows (keyed by identity). */
  private deduplicationKeys(
    webhook: Webhook,
    source: string,
    delivery: Delivery,
    result: Extract<AdapterResult, { events: unknown }>,
  ): IngestJob {
    const rawId = randomUUID();
    const { productionEnvironments } = this.settings(delivery.recordId);
    return {
      raw: {
        id: rawId,
        record_id: delivery.recordId,
        token_id: webhook.id,
        source,
        delivery_id: storedIdentity(result.deliveryId),
        endpoint: delivery.endpoint ?? null,
        headers: JSON.stringify(keptHeaders(source, delivery.headers)),
        body: storableBody(delivery.raw),
        received_at: delivery.receivedAt,
      },
      events: result.events.map(event =>
        toEventRow(event, {
          recordId: delivery.recordId,
          rawId,
          tokenId: webhook.id,
          productionEnvironments,
        }),
      ),
    };
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

  eventsPage(recordId: string, page: PageRequest): Promise<Page<StoredEvent>> {
    return this.store.eventsPage(recordId, page);
  }

  deliveriesPage(
    recordId: string,
    filter: { webhookId?: string },
    page: PageRequest,
  ): Promise<Page<StoredDelivery>> {
    return this.store.deliveriesPage(recordId, filter, page);
  }

  /** Deletes every event a webhook brought, after in-flight writes settle. */
  async deleteWebhookData(tokenId: string): Promise<void> {
    await this.batcher.idle();
    await this.store.deleteByToken(tokenId);
  }

  /**
   * Rebuilds a Record's normalised events from its raw deliveries, replayed
   * in arrival order through the same adapters, with today's settings
   * (production environments, incident label). Signatures were checked at
   * receipt and are not checked again.
   */
  async recompute(
    recordId: string,
  ): Promise<{ deliveries: number; events: number }> {
    await this.batcher.idle();
    const { incidentLabel, productionEnvironments } = this.settings(recordId);
    const raws = await this.store.rawEvents(recordId);
    const rows = raws.flatMap(raw => {
      const receivedAt = toDate(raw.received_at);
      const result = adaptDelivery(
        raw.source,
        JSON.parse(raw.headers),
        storedBody(raw.body),
        {
          incidentLabel,
          now: () => receivedAt,
          endpoint: raw.endpoint ?? undefined,
        },
      );
      return 'events' in result
        ? result.events.map(event =>
            toEventRow(event, {
              recordId,
              rawId: raw.id,
              tokenId: raw.token_id,
              productionEnvironments,
            }),
          )
        : [];
    });
    const events = await this.store.replaceEvents(recordId, rows);
    return { deliveries: raws.length, events };
  }
}

/** The delivery as text for its `text` column, which cannot hold NUL. */
function storableBody(raw: Buffer): string {
  const body = raw.toString('utf8');
  if (!isStorableText(body)) {
    throw new InputError(`body: ${NUL_MESSAGE}`);
  }
  return body;
}

/** PostgreSQL's foreign_key_violation, or SQLite's. */
function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
