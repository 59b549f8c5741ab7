import { Knex } from 'knex';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { migratedDatabase } from '../__testUtils__/database';
import { eventRow } from '../__testUtils__/events';
import { testDatabases } from '../__testUtils__/startPhasetBackend';
import { EventStore } from './EventStore';
import { RecordStore } from './RecordStore';
import { StandardsStore } from './StandardsStore';
import { TABLES } from './tables';
import { TokenStore } from './TokenStore';

jest.setTimeout(60_000);

describe.each(testDatabases.eachSupportedId())(
  'RecordStore on %s',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    let records: RecordStore;

    beforeAll(async () => {
      knex = await migratedDatabase(databaseId);
      records = new RecordStore(knex);
    });
    afterAll(() => knex.destroy());

    it('creates a Record once, upserts its registration, stores its manifest', async () => {
      expect(
        await records.create({
          id: 'rec0000001',
          organizationId: 'org',
          origin: 'api',
        }),
      ).toBe(true);
      expect(
        await records.create({
          id: 'rec0000001',
          organizationId: 'other',
          origin: 'api',
        }),
      ).toBe(false);
      await records.upsert({
        id: 'rec0000001',
        organizationId: 'org2',
        entityRef: 'component:default/x',
        origin: 'config',
      });
      await records.setManifest(
        'rec0000001',
        { name: 'x' } as any,
        '{"name":"x"}',
      );
      expect(await records.get('rec0000001')).toMatchObject({
        id: 'rec0000001',
        organizationId: 'org2',
        entityRef: 'component:default/x',
        origin: 'config',
        manifest: { name: 'x' },
        manifestRaw: '{"name":"x"}',
      });
      expect(
        (await records.list({ organizationId: 'org2' })).map(r => r.id),
      ).toEqual(['rec0000001']);
      expect(await records.list({ organizationId: 'nope' })).toEqual([]);
    });

    it('deletes everything a Record owns, and one re-created with its id starts empty', async () => {
      const id = 'rec0000002';
      await records.create({ id, organizationId: 'org', origin: 'api' });
      await records.setManifest(id, { name: 'y' } as any, '{}');
      const token = await new TokenStore(knex).insert({
        id: 'tok-2',
        recordId: id,
        name: 'ci',
        hash: 'b'.repeat(64),
        origin: 'api',
      });
      await new StandardsStore(knex).add({
        recordId: id,
        baselineId: 'default',
        result: { passes: 1, warnings: 0, failures: 0, results: [] } as any,
        raw: '{}',
      });
      await new EventStore(knex).write([
        {
          raw: {
            id: 'raw-2',
            record_id: id,
            token_id: token.id,
            source: 'phaset',
            delivery_id: null,
            endpoint: null,
            headers: '{}',
            body: '{}',
            received_at: new Date(),
          },
          events: [
            eventRow({
              id: 'ev-2',
              record_id: id,
              raw_event_id: 'raw-2',
              token_id: token.id,
              source: 'phaset',
              kind: 'comment',
            }),
          ],
        },
      ]);
      const owned = async () => {
        const counts: number[] = [];
        for (const table of [
          TABLES.tokens,
          TABLES.standardsResults,
          TABLES.rawEvents,
          TABLES.events,
        ]) {
          const [{ n }] = await knex(table)
            .where({ record_id: id })
            .count({ n: '*' });
          counts.push(Number(n));
        }
        return counts;
      };
      expect(await owned()).toEqual([1, 1, 1, 1]);

      expect(await records.delete(id)).toBe(true);
      expect(await records.get(id)).toBeUndefined();
      expect(await owned()).toEqual([0, 0, 0, 0]);
      expect(await records.delete(id)).toBe(false);

      await records.create({ id, organizationId: 'org', origin: 'api' });
      expect(await records.get(id)).toMatchObject({ manifest: undefined });
      expect(await owned()).toEqual([0, 0, 0, 0]);
    });
  },
);
