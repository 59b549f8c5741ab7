import { Knex } from 'knex';
import { InputError } from '@backstage/errors';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { migratedDatabase } from '../__testUtils__/database';
import { eventRow } from '../__testUtils__/events';
import { testDatabases } from '../__testUtils__/startPhasetBackend';
import { EventStore } from './EventStore';
import { Page, PageRequest } from './paging';
import { RecordStore } from './RecordStore';
import { TABLES } from './tables';
import { TokenStore } from './TokenStore';

jest.setTimeout(60_000);

const RECORD = 'pgrec00001';
const KINDS = ['deployment', 'change', 'incident-opened'];

/** Every page of a list, asserting each holds at most `limit` items. */
async function walk<T>(
  limit: number,
  read: (page: PageRequest) => Promise<Page<T>>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await read({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { items, pages };
}

/** The plan the database makes for the SQL `run` sends, as one string. */
async function planOf(knex: Knex, run: () => Promise<unknown>) {
  type Query = { sql: string; bindings: Knex.RawBinding[] };
  let sent: Query | undefined;
  const capture = (query: Query) => {
    sent = query;
  };
  knex.on('query', capture);
  await run();
  knex.off('query', capture);
  const { sql, bindings } = sent!;
  if (knex.client.config.client !== 'pg') {
    const rows = await knex.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings);
    return rows.map((row: { detail: string }) => row.detail).join('\n');
  }
  // Tables this small are cheaper to scan; what matters is that an index
  // serves the filter, the cursor and the order without a sort.
  return knex.transaction(async tx => {
    await tx.raw('SET LOCAL enable_seqscan = off');
    await tx.raw('SET LOCAL enable_bitmapscan = off');
    const positional = sql.replace(/\$\d+/g, '?');
    const { rows } = await tx.raw(`EXPLAIN ${positional}`, bindings);
    return rows
      .map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN'])
      .join('\n');
  });
}

describe.each(testDatabases.eachSupportedId())(
  'Paged lists on %s',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    let events: EventStore;
    let records: RecordStore;
    let tokens: TokenStore;

    beforeAll(async () => {
      knex = await migratedDatabase(databaseId);
      events = new EventStore(knex);
      records = new RecordStore(knex);
      tokens = new TokenStore(knex);
      for (let i = 1; i <= 7; i++) {
        await records.create({
          id: `pgorgA000${i}`,
          organizationId: 'orgA',
          origin: 'api',
        });
      }
      await records.create({
        id: RECORD,
        organizationId: 'orgB',
        origin: 'api',
      });
      for (let i = 1; i <= 5; i++) {
        await tokens.insert({
          id: `tok-${i}`,
          recordId: RECORD,
          name: `hook-${i}`,
          hash: String(i).repeat(64),
          origin: 'api',
        });
      }
      // 7 deliveries through two webhooks at 3 instants.
      await knex(TABLES.rawEvents).insert(
        Array.from({ length: 7 }, (_, i) => ({
          id: `raw-${7 - i}`,
          record_id: RECORD,
          token_id: `tok-${1 + (i % 2)}`,
          source: 'github',
          delivery_id: `gh-${i}`,
          endpoint: null,
          headers: '{"x-github-event":"push"}',
          body: '{}',
          received_at: new Date(Date.UTC(2026, 0, 1, i % 3)),
        })),
      );
      // 23 events over 8 instants: several share an instant and a kind, so
      // the order (and the cursor) has to fall back on kind and id.
      const rows = Array.from({ length: 23 }, (_, i) =>
        eventRow({
          id: `ev-${String(22 - i).padStart(2, '0')}`,
          record_id: RECORD,
          raw_event_id: 'raw-1',
          token_id: 'tok-1',
          source: 'phaset',
          kind: KINDS[i >> 4],
          external_id: `phaset:${i}`,
          occurred_at: new Date(Date.UTC(2026, 0, 1 + (i % 8), 0, 0, 0, 5)),
        }),
      );
      await knex(TABLES.events).insert(rows);
    });
    afterAll(() => knex.destroy());

    it('walks every event exactly once, in the order of the full list', async () => {
      const all = await events.listEvents(RECORD);
      expect(all).toHaveLength(23);
      const read = (page: PageRequest) => events.eventsPage(RECORD, page);
      for (const limit of [1, 4, 23, 100]) {
        const { items, pages } = await walk(limit, read);
        expect(items.map(e => e.id)).toEqual(all.map(e => e.id));
        expect(pages).toBe(limit >= 23 ? 1 : Math.ceil(23 / limit));
      }
      const first = await events.eventsPage(RECORD, { limit: 5 });
      expect(first.items).toHaveLength(5);
      expect(first.nextCursor).toEqual(expect.any(String));
      // Millisecond instants survive the cursor on both engines.
      expect(first.items[0].occurred_at).toBe('2026-01-01T00:00:00.005Z');
    });

    it("pages an organisation's Records, and all Records, by id", async () => {
      const orgA = await walk(2, page =>
        records.page({ organizationId: 'orgA' }, page),
      );
      expect(orgA.items.map(r => r.id)).toEqual(
        Array.from({ length: 7 }, (_, i) => `pgorgA000${i + 1}`),
      );
      expect(orgA.pages).toBe(4);
      const all = await walk(3, page => records.page({}, page));
      expect(all.items.map(r => r.id)).toEqual(
        [...orgA.items.map(r => r.id), RECORD].sort(),
      );
    });

    it("pages a Record's deliveries as they arrived, also of one webhook", async () => {
      const all = await walk(2, page =>
        events.deliveriesPage(RECORD, {}, page),
      );
      // By time (i % 3 hours), then id: raw-7 is i = 0, raw-1 is i = 6.
      expect(all.items.map(d => d.id)).toEqual([
        'raw-1',
        'raw-4',
        'raw-7',
        'raw-3',
        'raw-6',
        'raw-2',
        'raw-5',
      ]);
      expect(all.items[0]).toEqual({
        id: 'raw-1',
        webhookId: 'tok-1',
        source: 'github',
        deliveryId: 'gh-6',
        headers: { 'x-github-event': 'push' },
        receivedAt: '2026-01-01T00:00:00.000Z',
      });
      const second = await walk(2, page =>
        events.deliveriesPage(RECORD, { webhookId: 'tok-2' }, page),
      );
      expect(second.items.map(d => d.id)).toEqual(['raw-4', 'raw-6', 'raw-2']);
    });

    it("pages a Record's tokens oldest first", async () => {
      const { items } = await walk(2, page => tokens.page(RECORD, page));
      expect(items.map(t => t.name)).toEqual([
        'hook-1',
        'hook-2',
        'hook-3',
        'hook-4',
        'hook-5',
      ]);
    });

    it('refuses a cursor no list of this kind answered, naming cursor', async () => {
      const { nextCursor } = await records.page({}, { limit: 1 });
      const foreign = Buffer.from('{"a":1}').toString('base64url');
      const badTime = Buffer.from('["yesterday","change","x"]').toString(
        'base64url',
      );
      for (const cursor of [nextCursor!, foreign, badTime, 'not-json']) {
        const read = events.eventsPage(RECORD, { limit: 5, cursor });
        await expect(read).rejects.toThrow(InputError);
        await expect(read).rejects.toThrow(/^cursor: /);
      }
    });

    it('reads each page from an index, in its order, with no sort', async () => {
      const { nextCursor: eventCursor } = await events.eventsPage(RECORD, {
        limit: 3,
      });
      const { nextCursor: recordCursor } = await records.page(
        { organizationId: 'orgA' },
        { limit: 3 },
      );
      const { nextCursor: tokenCursor } = await tokens.page(RECORD, {
        limit: 2,
      });
      const { nextCursor: deliveryCursor } = await events.deliveriesPage(
        RECORD,
        {},
        { limit: 2 },
      );
      const plans = {
        phaset_events_page_idx: await planOf(knex, () =>
          events.eventsPage(RECORD, { limit: 3, cursor: eventCursor }),
        ),
        phaset_records_page_idx: await planOf(knex, () =>
          records.page(
            { organizationId: 'orgA' },
            { limit: 3, cursor: recordCursor },
          ),
        ),
        phaset_tokens_page_idx: await planOf(knex, () =>
          tokens.page(RECORD, { limit: 2, cursor: tokenCursor }),
        ),
        phaset_raw_events_page_idx: await planOf(knex, () =>
          events.deliveriesPage(
            RECORD,
            {},
            { limit: 2, cursor: deliveryCursor },
          ),
        ),
        phaset_raw_events_webhook_page_idx: await planOf(knex, () =>
          events.deliveriesPage(
            RECORD,
            { webhookId: 'tok-2' },
            { limit: 2, cursor: deliveryCursor },
          ),
        ),
      };
      for (const [index, plan] of Object.entries(plans)) {
        expect(plan).toContain(index);
        // The cursor's comparison is part of the index range, not a filter.
        expect(plan).toMatch(/(Index Cond:|SEARCH) .*>/);
        expect(plan).not.toMatch(/\bSort\b|TEMP B-TREE/);
      }
    });
  },
);
