import { Knex } from 'knex';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { migratedDatabase } from '../__testUtils__/database';
import { testDatabases } from '../__testUtils__/startPhasetBackend';
import { RecordStore } from './RecordStore';
import { StandardsStore } from './StandardsStore';

jest.setTimeout(60_000);

const RECORD = 'strec00001';

describe.each(testDatabases.eachSupportedId())(
  'StandardsStore on %s',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    let store: StandardsStore;

    beforeAll(async () => {
      knex = await migratedDatabase(databaseId);
      await new RecordStore(knex).create({
        id: RECORD,
        organizationId: 'org',
        origin: 'api',
      });
      store = new StandardsStore(knex);
    });
    afterAll(() => knex.destroy());

    it('keeps every result: the latest in full, the history as counts, oldest first', async () => {
      expect(await store.latest(RECORD)).toBeUndefined();
      for (const passes of [1, 2, 3]) {
        await store.add({
          recordId: RECORD,
          baselineId: 'default',
          result: {
            passes,
            warnings: 0,
            failures: 1,
            results: [{ id: `check-${passes}` }],
          } as any,
          raw: `{"passes":${passes}}`,
        });
      }
      expect(await store.latest(RECORD)).toMatchObject({
        baselineId: 'default',
        passes: 3,
        failures: 1,
        results: [{ id: 'check-3' }],
        raw: '{"passes":3}',
      });
      expect((await store.history(RECORD, 2)).map(h => h.passes)).toEqual([
        2, 3,
      ]);
    });
  },
);
