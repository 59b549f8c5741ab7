import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  startPhasetBackend,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import { eventRow, newRecord } from '../__testUtils__/events';
import { TABLES } from '../database/tables';

jest.setTimeout(120_000);

const EVENTS = 23;

describe.each(testDatabases.eachSupportedId())(
  'Paged lists on %s',
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];
    let knex: Awaited<ReturnType<typeof startPhasetBackend>>['knex'];
    let record: Awaited<ReturnType<typeof newRecord>>;
    const eventsUrl = () => `/api/phaset/records/${record.id}/events`;

    beforeAll(async () => {
      ({ server, knex } = await startPhasetBackend(databaseId));
      record = await newRecord(server);
      // Changes at 8 instants, so that pages also split events of one instant.
      for (let i = 0; i < EVENTS; i++) {
        await request(server)
          .post(record.eventUrl)
          .send({
            event: 'change',
            commitSha: i.toString(16).padStart(40, '0'),
            timestamp: String(1_767_225_600 + (i % 8) * 3600),
          })
          .expect(200);
      }
    });

    it('GET /records/{id}/events?limit=5 answers 5 events and a cursor; walking the cursors yields every event once, in order', async () => {
      const first = await request(server)
        .get(`${eventsUrl()}?limit=5`)
        .expect(200);
      expect(first.body.items).toHaveLength(5);
      expect(first.body.nextCursor).toEqual(expect.any(String));

      const walked: Array<{ id: string; occurredAt: string }> = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const query = new URLSearchParams({ limit: '5' });
        if (cursor) query.set('cursor', cursor);
        const { body } = await request(server)
          .get(`${eventsUrl()}?${query}`)
          .expect(200);
        expect(body.items.length).toBeLessThanOrEqual(5);
        walked.push(...body.items);
        cursor = body.nextCursor;
        pages++;
      } while (cursor);

      expect(pages).toBe(Math.ceil(EVENTS / 5));
      expect(new Set(walked.map(e => e.id)).size).toBe(EVENTS);
      const all = await request(server)
        .get(`${eventsUrl()}?limit=1000`)
        .expect(200);
      expect(all.body.nextCursor).toBeUndefined();
      expect(walked.map(e => e.id)).toEqual(
        all.body.items.map((e: { id: string }) => e.id),
      );
      const times = walked.map(e => e.occurredAt);
      expect(times).toEqual([...times].sort());
    });

    it('answers 100 events without a limit, and pages the Records', async () => {
      const big = await newRecord(server);
      await knex(TABLES.events).insert(
        Array.from({ length: 105 }, (_, i) =>
          eventRow({
            id: `bulk-${i}`,
            record_id: big.id,
            raw_event_id: 'bulk',
            token_id: big.webhookId,
            source: 'phaset',
            kind: 'change',
            external_id: `bulk:${i}`,
            occurred_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
          }),
        ),
      );
      const url = `/api/phaset/records/${big.id}/events`;
      const first = await request(server).get(url).expect(200);
      expect(first.body.items).toHaveLength(100);
      const rest = await request(server)
        .get(`${url}?cursor=${first.body.nextCursor}`)
        .expect(200);
      expect(rest.body.items.map((e: { id: string }) => e.id)).toEqual([
        'bulk-100',
        'bulk-101',
        'bulk-102',
        'bulk-103',
        'bulk-104',
      ]);
      expect(rest.body.nextCursor).toBeUndefined();

      const records = await request(server)
        .get('/api/phaset/records?limit=1')
        .expect(200);
      expect(records.body.items).toHaveLength(1);
      const others = await request(server)
        .get(`/api/phaset/records?limit=1000&cursor=${records.body.nextCursor}`)
        .expect(200);
      const ids = [...records.body.items, ...others.body.items].map(
        (r: { id: string }) => r.id,
      );
      expect(ids).toEqual(expect.arrayContaining([record.id, big.id]));
      expect(ids).toEqual([...new Set(ids)].sort());
    });

    it("pages the Record's raw deliveries, all or one webhook's", async () => {
      const url = `/api/phaset/records/${record.id}/deliveries`;
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const query = new URLSearchParams({ limit: '10' });
        if (cursor) query.set('cursor', cursor);
        const { body } = await request(server)
          .get(`${url}?${query}`)
          .expect(200);
        expect(body.items.length).toBeLessThanOrEqual(10);
        ids.push(...body.items.map((d: { id: string }) => d.id));
        cursor = body.nextCursor;
      } while (cursor);
      expect(new Set(ids).size).toBe(EVENTS);

      // Each event names the delivery it came in.
      const events = await request(server)
        .get(`${eventsUrl()}?limit=1000`)
        .expect(200);
      expect(
        new Set(
          events.body.items.map((e: { rawEventId: string }) => e.rawEventId),
        ),
      ).toEqual(new Set(ids));

      const own = await request(server)
        .get(`${url}?webhookId=${record.webhookId}&limit=1000`)
        .expect(200);
      expect(own.body.items).toHaveLength(EVENTS);
      expect(own.body.items[0]).toMatchObject({
        webhookId: record.webhookId,
        source: 'phaset',
        receivedAt: expect.any(String),
      });
      const none = await request(server)
        .get(`${url}?webhookId=nope`)
        .expect(200);
      expect(none.body).toEqual({ items: [] });
    });

    it.each([
      ['limit=1001', 'limit'],
      ['limit=0', 'limit'],
      ['limit=5.5', 'limit'],
      ['limit=five', 'limit'],
      ['limit=5&limit=6', 'limit'],
      ['cursor=%25%25', 'cursor'],
      ['cursor=bm90LWpzb24', 'cursor'],
    ])('refuses ?%s with a 400 naming %s', async (query, field) => {
      for (const url of [
        eventsUrl(),
        `/api/phaset/records/${record.id}/deliveries`,
        '/api/phaset/records',
        `/api/phaset/records/${record.id}/tokens`,
        `/api/phaset/records/${record.id}/webhooks`,
      ]) {
        const { body } = await request(server)
          .get(`${url}?${query}`)
          .expect(400);
        expect(body.error.message).toMatch(new RegExp(`^${field}: `));
      }
    });

    it("pages a Record's webhooks and tokens", async () => {
      for (const name of ['second', 'third']) {
        await request(server)
          .post(`/api/phaset/records/${record.id}/webhooks`)
          .send({ name, source: 'ci' })
          .expect(201);
      }
      for (const list of ['webhooks', 'tokens']) {
        const url = `/api/phaset/records/${record.id}/${list}`;
        const first = await request(server).get(`${url}?limit=2`).expect(200);
        expect(first.body.items).toHaveLength(2);
        const rest = await request(server)
          .get(`${url}?limit=2&cursor=${first.body.nextCursor}`)
          .expect(200);
        expect(rest.body.nextCursor).toBeUndefined();
        expect(
          [...first.body.items, ...rest.body.items].map(
            (t: { name: string }) => t.name,
          ),
        ).toEqual(['ci-hook', 'second', 'third']);
      }
    });
  },
);
