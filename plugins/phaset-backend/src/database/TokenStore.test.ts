import { Knex } from 'knex';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { migratedDatabase } from '../__testUtils__/database';
import { testDatabases } from '../__testUtils__/startPhasetBackend';
import { RecordStore } from './RecordStore';
import { TokenStore } from './TokenStore';

jest.setTimeout(60_000);

const RECORD = 'tkrec00001';
const hash = (c: string) => c.repeat(64);

describe.each(testDatabases.eachSupportedId())(
  'TokenStore on %s',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    let store: TokenStore;

    beforeAll(async () => {
      knex = await migratedDatabase(databaseId);
      await new RecordStore(knex).create({
        id: RECORD,
        organizationId: 'org',
        origin: 'api',
      });
      store = new TokenStore(knex);
    });
    afterAll(() => knex.destroy());

    it('keeps tokens with their source and sealed secret, never a token itself', async () => {
      const stored = await store.insert({
        id: 'tok-1',
        recordId: RECORD,
        name: 'github-hook',
        hash: hash('a'),
        origin: 'api',
        source: 'github',
        signingSecret: 'v1.sealed',
      });
      expect(stored).toMatchObject({
        id: 'tok-1',
        name: 'github-hook',
        source: 'github',
        signed: true,
        deliveriesAccepted: 0,
        deliveriesRejected: 0,
      });
      expect(await store.credentials(RECORD)).toEqual([
        {
          id: 'tok-1',
          hash: hash('a'),
          source: 'github',
          signingSecret: 'v1.sealed',
        },
      ]);
      expect(await store.findByName(RECORD, 'github-hook')).toMatchObject({
        id: 'tok-1',
      });
    });

    it('renames, counts rejections and acceptances, and deletes', async () => {
      await store.insert({
        id: 'tok-2',
        recordId: RECORD,
        name: 'ci',
        hash: hash('b'),
        origin: 'api',
      });
      expect(await store.rename(RECORD, 'tok-2', 'ci-renamed')).toBe(true);
      expect(await store.rename(RECORD, 'nope', 'x')).toBe(false);
      await store.countRejected('tok-2');
      await knex.transaction(async tx => {
        for (const statement of store.countAccepted(
          tx,
          new Map([['tok-2', 3]]),
        )) {
          await statement;
        }
      });
      expect(await store.get(RECORD, 'tok-2')).toMatchObject({
        name: 'ci-renamed',
        source: 'ci',
        signed: false,
        deliveriesAccepted: 3,
        deliveriesRejected: 1,
        lastDeliveryAt: expect.any(String),
        lastUsedAt: expect.any(String),
      });
      expect(await store.delete(RECORD, 'tok-2')).toBe(true);
      expect(await store.delete(RECORD, 'tok-2')).toBe(false);
    });

    it('keeps only the config tokens config still names', async () => {
      for (const name of ['one', 'two']) {
        await store.insert({
          id: `cfg-${name}`,
          recordId: RECORD,
          name: `cfg-${name}`,
          hash: hash('c'),
          origin: 'config',
        });
      }
      await store.deleteConfigTokensExcept(RECORD, ['cfg-one']);
      const names = (await store.page(RECORD, { limit: 10 })).items.map(
        t => t.name,
      );
      expect(names).toContain('cfg-one');
      expect(names).not.toContain('cfg-two');
      // API tokens are not config's to remove.
      expect(names).toContain('github-hook');
    });
  },
);
