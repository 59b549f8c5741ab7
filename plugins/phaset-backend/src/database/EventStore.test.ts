import { Knex } from 'knex';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { migratedDatabase } from '../__testUtils__/database';
import { eventRow } from '../__testUtils__/events';
import { testDatabases } from '../__testUtils__/startPhasetBackend';
import { EventStore, IngestJob } from './EventStore';
import { RecordStore } from './RecordStore';
import { EventRow } from './tables';
import { TokenStore } from './TokenStore';

jest.setTimeout(60_000);

const RECORD = 'evrec00001';
let sequence = 0;

/** One delivery of `events`, each given as its kind and fields. */
function delivery(
  events: Array<Partial<EventRow> & { kind: string }>,
  fields: { deliveryId?: string; tokenId?: string } = {},
): IngestJob {
  const rawId = `raw-${++sequence}`;
  const tokenId = fields.tokenId ?? 'tok-a';
  return {
    raw: {
      id: rawId,
      record_id: RECORD,
      token_id: tokenId,
      source: 'github',
      delivery_id: fields.deliveryId ?? null,
      endpoint: null,
      headers: '{}',
      body: '{}',
      received_at: new Date('2026-01-01T00:00:00Z'),
    },
    events: events.map(e =>
      eventRow({
        id: `ev-${++sequence}`,
        record_id: RECORD,
        raw_event_id: rawId,
        token_id: tokenId,
        source: 'github',
        occurred_at: new Date('2026-01-01T00:00:00Z'),
        ...e,
      }),
    ),
  };
}

describe.each(testDatabases.eachSupportedId())(
  'EventStore on %s',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    let store: EventStore;
    let tokens: TokenStore;

    beforeAll(async () => {
      knex = await migratedDatabase(databaseId);
      await new RecordStore(knex).create({
        id: RECORD,
        organizationId: 'org',
        origin: 'api',
      });
      tokens = new TokenStore(knex);
      for (const id of ['tok-a', 'tok-b']) {
        await tokens.insert({
          id,
          recordId: RECORD,
          name: id,
          hash: id.padEnd(64, '0'),
          origin: 'api',
        });
      }
      store = new EventStore(knex, tokens);
    });
    afterAll(() => knex.destroy());

    beforeEach(async () => {
      await knex('phaset_events').delete();
      await knex('phaset_raw_events').delete();
    });

    it('skips a delivery id seen before and a fact the Record has, keeping only raw rows that added events', async () => {
      const commit = { kind: 'change', external_id: 'github:commit:abc' };
      const outcomes = await store.write([
        delivery([commit], { deliveryId: 'd-1' }),
        delivery([commit], { deliveryId: 'd-1' }),
        delivery([commit, { kind: 'comment' }], { deliveryId: 'd-2' }),
        delivery([commit], { deliveryId: 'd-3' }),
      ]);
      expect(outcomes).toEqual([
        { accepted: 1, duplicates: 0 },
        { accepted: 0, duplicates: 1 },
        { accepted: 1, duplicates: 1 },
        { accepted: 0, duplicates: 1 },
      ]);
      expect(await store.rawEvents(RECORD)).toHaveLength(2);
      expect((await store.listEvents(RECORD)).map(e => e.kind).sort()).toEqual([
        'change',
        'comment',
      ]);
    });

    it('counts accepted deliveries on their webhook through the TokenStore', async () => {
      const before = Number(
        (await tokens.get(RECORD, 'tok-b'))!.deliveriesAccepted,
      );
      await store.write([
        delivery([{ kind: 'comment' }], { tokenId: 'tok-b' }),
        delivery([{ kind: 'comment' }], { tokenId: 'tok-b' }),
      ]);
      const token = (await tokens.get(RECORD, 'tok-b'))!;
      expect(token.deliveriesAccepted).toBe(before + 2);
      expect(token.lastDeliveryAt).toBeDefined();
    });

    it("copies an incident's resolution onto its opened row", async () => {
      const opened = new Date('2026-01-01T00:00:00Z');
      const resolved = new Date('2026-01-02T00:00:00Z');
      await store.write([
        delivery([
          {
            kind: 'incident-opened',
            incident_id: '7',
            external_id: 'github:issue:7',
            opened_at: opened,
          },
        ]),
      ]);
      expect(await store.hasIncident(RECORD, 'github', '7')).toBe(true);
      expect(await store.hasIncident(RECORD, 'github', '8')).toBe(false);
      await store.write([
        delivery([
          {
            kind: 'incident-resolved',
            incident_id: '7',
            external_id: 'github:issue:7',
            occurred_at: resolved,
            resolved_at: resolved,
          },
        ]),
      ]);
      const rows = await store.listEvents(RECORD);
      expect(rows.find(e => e.kind === 'incident-opened')?.resolved_at).toBe(
        resolved.toISOString(),
      );
    });

    it('replaces a Record’s events, and deletes exactly what one webhook brought', async () => {
      await store.write([
        delivery([{ kind: 'comment' }], { tokenId: 'tok-a' }),
        delivery([{ kind: 'comment' }], { tokenId: 'tok-b' }),
      ]);
      await store.deleteByToken('tok-a');
      expect((await store.listEvents(RECORD)).map(e => e.token_id)).toEqual([
        'tok-b',
      ]);
      expect((await store.rawEvents(RECORD)).map(r => r.token_id)).toEqual([
        'tok-b',
      ]);

      const [raw] = await store.rawEvents(RECORD);
      const replaced = await store.replaceEvents(RECORD, [
        eventRow({
          id: 'replacement',
          record_id: RECORD,
          raw_event_id: raw.id,
          token_id: 'tok-b',
          source: 'github',
          kind: 'pr-opened',
        }),
      ]);
      expect(replaced).toBe(1);
      expect((await store.listEvents(RECORD)).map(e => e.id)).toEqual([
        'replacement',
      ]);
    });
  },
);
