import { Knex } from 'knex';
import {
  DbTime,
  EVENT_COLUMNS,
  EVENT_TIME_COLUMNS,
  EventRow,
  RAW_EVENT_COLUMNS,
  RawEventRow,
  TABLES,
} from './tables';
import { KeyColumn, Page, PageRequest, readPage } from './paging';
import { toIsoString } from './time';
import { TokenStore } from './TokenStore';
import { chunks } from './chunks';
import { DoraFactStore } from './DoraFactStore';
import { runStatements, Statements } from './statements';

const RAW = TABLES.rawEvents;
const EVENTS = TABLES.events;
/** The order of a Record's raw deliveries: as they arrived, then by id. */
const DELIVERY_PAGE_KEY: KeyColumn[] = [
  { column: 'received_at', type: 'time' },
  { column: 'id', type: 'string' },
];
/** The order of a Record's events: oldest first, then by kind and id. */
const EVENT_PAGE_KEY: KeyColumn[] = [
  { column: 'occurred_at', type: 'time' },
  { column: 'kind', type: 'string' },
  { column: 'id', type: 'string' },
];

/** One accepted delivery: its raw row and the normalised events it carries. */
export type IngestJob = { raw: RawEventRow; events: EventRow[] };

/** What storing one delivery did: new events, and events the Record had. */
export type WriteOutcome = { accepted: number; duplicates: number };

/**
 * An accepted delivery as the REST API lists it: what arrived when through
 * which webhook, with the headers kept; the body stays in the database.
 */
export type StoredDelivery = {
  id: string;
  webhookId: string;
  source: string;
  deliveryId?: string;
  endpoint?: string;
  headers: Record<string, string>;
  receivedAt: string;
};

function toStoredDelivery(
  row: Omit<RawEventRow, 'body' | 'received_at'> & { received_at: DbTime },
): StoredDelivery {
  return {
    id: row.id,
    webhookId: row.token_id,
    source: row.source,
    ...(row.delivery_id !== null && { deliveryId: row.delivery_id }),
    ...(row.endpoint !== null && { endpoint: row.endpoint }),
    headers: JSON.parse(row.headers),
    receivedAt: toIsoString(row.received_at),
  };
}

/** A stored event as the REST API and tests see it: ISO dates, no nulls. */
export type StoredEvent = Record<string, string | number | boolean>;

function toStoredEvent(row: Record<string, unknown>): StoredEvent {
  const event: StoredEvent = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined) {
      continue;
    }
    if ((EVENT_TIME_COLUMNS as readonly string[]).includes(key)) {
      event[key] = toIsoString(value as Date | string | number);
    } else if (key === 'is_production') {
      // SQLite returns booleans as 0/1.
      event[key] = Boolean(value);
    } else {
      event[key] = value as string | number;
    }
  }
  return event;
}

/**
 * Rows sorted by their unique key, stably (rows with equal keys keep their
 * order, so the first one sent still wins). Concurrent transactions then
 * take the unique-index locks in the same order and cannot deadlock when
 * they carry the same deliveries.
 */
function byKey<T>(rows: T[], key: (row: T) => string): T[] {
  const compare = (a: { k: string }, b: { k: string }) => {
    if (a.k === b.k) {
      return 0;
    }
    return a.k < b.k ? -1 : 1;
  };
  // Array.prototype.sort is stable.
  return rows
    .map(row => ({ row, k: key(row) }))
    .sort(compare)
    .map(e => e.row);
}

const NUL = '\u0000';

const rawKey = (r: RawEventRow) =>
  `${r.record_id}${NUL}${r.source}${NUL}${r.delivery_id ?? ''}`;
const eventKey = (e: EventRow) =>
  `${e.record_id}${NUL}${e.kind}${NUL}${e.external_id ?? ''}`;

/** The raw rows and events a write inserted: the rest were repeats. */
type Inserted = { raws: Set<string>; events: Set<string> };

/**
 * Inserts rows in unique-key order, skipping those whose unique key is
 * already stored, and returns the ids of those inserted.
 */
async function insertNew<Row extends { id: string }>(
  tx: Knex.Transaction,
  table: string,
  rows: Row[],
  key: (row: Row) => string,
  uniqueColumns: string[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const chunk of chunks(byKey(rows, key))) {
    const ids = await tx(table)
      .insert(chunk)
      .onConflict(uniqueColumns)
      .ignore()
      .returning('id');
    ids.forEach((r: { id: string }) => inserted.add(r.id));
  }
  return inserted;
}

/** Inserts normalised events, skipping facts the Record already has. */
const insertEvents = (tx: Knex.Transaction, rows: EventRow[]) =>
  insertNew(tx, EVENTS, rows, eventKey, ['record_id', 'kind', 'external_id']);

/** The incidents' opened rows carry the resolutions of `inserted` too. */
function copyResolutions(
  tx: Knex.Transaction,
  inserted: EventRow[],
): Statements {
  return inserted
    .filter(event => event.kind === 'incident-resolved')
    .map(event =>
      tx(EVENTS)
        .where({
          record_id: event.record_id,
          source: event.source,
          kind: 'incident-opened',
          incident_id: event.incident_id,
        })
        .update({ resolved_at: event.resolved_at }),
    );
}

/** Inserts the raw deliveries, then the events of those that were new. */
async function insertDeliveries(
  tx: Knex.Transaction,
  jobs: IngestJob[],
): Promise<Inserted> {
  const raws = await insertNew(
    tx,
    RAW,
    jobs.map(j => j.raw),
    rawKey,
    ['record_id', 'source', 'delivery_id'],
  );
  const events = await insertEvents(
    tx,
    jobs.filter(j => raws.has(j.raw.id)).flatMap(j => j.events),
  );
  return { raws, events };
}

/**
 * insertDeliveries in one PostgreSQL statement per chunk of deliveries: the
 * raw rows as a VALUES list, the events as one JSON array typed by the
 * table's row type, kept only for raw rows the statement inserted. One
 * round trip, and no per-row query building.
 */
async function insertDeliveriesPostgres(
  tx: Knex.Transaction,
  jobs: IngestJob[],
): Promise<Inserted> {
  const inserted: Inserted = { raws: new Set(), events: new Set() };
  for (const chunk of chunks(byKey(jobs, j => rawKey(j.raw)))) {
    const raws = chunk.map(j => j.raw);
    const events = byKey(
      chunk.flatMap(j => j.events),
      eventKey,
    );
    const row = `(${RAW_EVENT_COLUMNS.map(() => '?').join(', ')})`;
    const columns = EVENT_COLUMNS.join(', ');
    const { rows } = await tx.raw(
      `WITH new_raw AS (
        INSERT INTO ${RAW} (${RAW_EVENT_COLUMNS.join(', ')})
        VALUES ${raws.map(() => row).join(', ')}
        ON CONFLICT (record_id, source, delivery_id) DO NOTHING
        RETURNING id
      ), new_events AS (
        INSERT INTO ${EVENTS} (${columns})
        SELECT ${columns}
        FROM json_populate_recordset(NULL::${EVENTS}, ?) WITH ORDINALITY
        WHERE raw_event_id IN (SELECT id FROM new_raw)
        -- in unique-key order, as sent (see byKey)
        ORDER BY ordinality
        ON CONFLICT (record_id, kind, external_id) DO NOTHING
        RETURNING id
      )
      SELECT 'raw' AS inserted, id FROM new_raw
      UNION ALL SELECT 'event', id FROM new_events`,
      [
        ...raws.flatMap(raw => RAW_EVENT_COLUMNS.map(column => raw[column])),
        // Text is well-formed (toEventRow), as PostgreSQL's JSON parser requires.
        JSON.stringify(events),
      ],
    );
    for (const { inserted: table, id } of rows as Array<{
      inserted: 'raw' | 'event';
      id: string;
    }>) {
      inserted[table === 'raw' ? 'raws' : 'events'].add(id);
    }
  }
  return inserted;
}

/** Writes `phaset_raw_events` and `phaset_events`. */
export class EventStore {
  constructor(
    private readonly db: Knex,
    /** Counts accepted deliveries on their webhook, in the same transaction. */
    private readonly tokens = new TokenStore(db),
    /** Queues the DORA events it writes for a fold, in the same transaction. */
    private readonly doraFacts = new DoraFactStore(db),
  ) {}

  /**
   * Stores many deliveries in one transaction. A delivery id seen before
   * makes the whole delivery a duplicate; an event whose (kind, external_id)
   * the Record already has is a duplicate; raw rows that added no event are
   * not kept. The new DORA events are queued for their facts' fold
   * (DoraFactStore), which runs after this commit. Returns one outcome per
   * job, in order.
   */
  async write(jobs: IngestJob[]): Promise<WriteOutcome[]> {
    return this.db.transaction(async tx => {
      const inserted =
        this.db.client.dialect === 'postgresql'
          ? await insertDeliveriesPostgres(tx, jobs)
          : await insertDeliveries(tx, jobs);
      const newEvents = jobs
        .flatMap(j => j.events)
        .filter(e => inserted.events.has(e.id));

      const outcomes = jobs.map(job => {
        const accepted = job.events.filter(e =>
          inserted.events.has(e.id),
        ).length;
        return { accepted, duplicates: job.events.length - accepted };
      });
      const statements = copyResolutions(tx, newEvents);
      const barren = jobs
        .filter(
          (job, i) =>
            inserted.raws.has(job.raw.id) && outcomes[i].accepted === 0,
        )
        .map(job => job.raw.id);
      for (const chunk of chunks(barren)) {
        statements.push(tx(RAW).whereIn('id', chunk).delete());
      }
      const perToken = new Map<string, number>();
      for (const job of jobs) {
        perToken.set(
          job.raw.token_id,
          (perToken.get(job.raw.token_id) ?? 0) + 1,
        );
      }
      statements.push(...this.tokens.countAccepted(tx, perToken));
      statements.push(...this.doraFacts.queue(tx, newEvents));
      await runStatements(tx, statements);
      return outcomes;
    });
  }

  /** The Record's raw deliveries in the order they arrived. */
  async rawEvents(recordId: string): Promise<RawEventRow[]> {
    return this.db(RAW)
      .where({ record_id: recordId })
      .orderBy('received_at')
      .orderBy('id');
  }

  /**
   * One page of the Record's raw deliveries (of one webhook, if given) in
   * the order they arrived (index phaset_raw_events_page_idx, or
   * phaset_raw_events_webhook_page_idx for one webhook).
   */
  deliveriesPage(
    recordId: string,
    filter: { webhookId?: string },
    page: PageRequest,
  ): Promise<Page<StoredDelivery>> {
    const query = this.db(RAW)
      .where({ record_id: recordId })
      // Every column but the body, which the list does not show.
      .select(RAW_EVENT_COLUMNS.filter(column => column !== 'body'));
    if (filter.webhookId !== undefined) {
      query.where({ token_id: filter.webhookId });
    }
    return readPage(query, DELIVERY_PAGE_KEY, page, toStoredDelivery);
  }

  /** Replaces the Record's normalised events and facts, in one transaction. */
  async replaceEvents(recordId: string, rows: EventRow[]): Promise<number> {
    return this.db.transaction(async tx => {
      await tx(EVENTS).where({ record_id: recordId }).delete();
      const inserted = await insertEvents(tx, rows);
      for (const statement of copyResolutions(
        tx,
        rows.filter(row => inserted.has(row.id)),
      )) {
        await statement;
      }
      await this.doraFacts.rebuild(tx, [recordId]);
      return inserted.size;
    });
  }

  /** Whether the Record has an opened incident with this id from `source`. */
  async hasIncident(recordId: string, source: string, incidentId: string) {
    const row = await this.db(EVENTS)
      .where({
        record_id: recordId,
        source,
        kind: 'incident-opened',
        incident_id: incidentId,
      })
      .first('id');
    return Boolean(row);
  }

  async listEvents(recordId: string): Promise<StoredEvent[]> {
    const rows = await this.db(EVENTS)
      .where({ record_id: recordId })
      .orderBy('occurred_at')
      .orderBy('kind')
      .orderBy('id');
    return rows.map(toStoredEvent);
  }

  /** One page of the Record's events, oldest first (index phaset_events_page_idx). */
  eventsPage(recordId: string, page: PageRequest): Promise<Page<StoredEvent>> {
    return readPage(
      this.db(EVENTS).where({ record_id: recordId }),
      EVENT_PAGE_KEY,
      page,
      toStoredEvent,
    );
  }

  /** Removes every event and raw delivery a webhook brought; rebuilds facts. */
  async deleteByToken(tokenId: string): Promise<void> {
    await this.db.transaction(async tx => {
      const records: Array<{ record_id: string }> = await tx(RAW)
        .distinct('record_id')
        .where({ token_id: tokenId });
      await tx(EVENTS).where({ token_id: tokenId }).delete();
      await tx(RAW).where({ token_id: tokenId }).delete();
      await this.doraFacts.rebuild(
        tx,
        records.map(r => r.record_id),
      );
    });
  }
}
