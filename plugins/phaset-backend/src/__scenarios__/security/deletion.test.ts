import request from 'supertest';
import { Knex } from 'knex';
import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { phasetPlugin } from '../../plugin';
import {
  startPhasetBackend,
  testDatabases,
} from '../../__testUtils__/startPhasetBackend';
import { seedManifest, standardLintOutput } from '../../__testUtils__/fixtures';

/** Seed 001's manifest without its Baseline (not configured here). */
const manifest = () => {
  const { baseline, ...rest } = seedManifest();
  return rest;
};

/** Tables holding a Record's data, with the column naming the Record. */
const RECORD_TABLES: Array<[table: string, column: string]> = [
  ['phaset_records', 'id'],
  ['phaset_tokens', 'record_id'],
  ['phaset_standards_results', 'record_id'],
  ['phaset_events', 'record_id'],
  ['phaset_raw_events', 'record_id'],
];

const NO_ROWS = Object.fromEntries(RECORD_TABLES.map(([table]) => [table, 0]));

async function rowsOf(knex: Knex, recordId: string) {
  const counts: Record<string, number> = {};
  for (const [table, column] of RECORD_TABLES) {
    const [{ n }] = await knex(table).where(column, recordId).count({ n: '*' });
    counts[table] = Number(n);
  }
  return counts;
}

describe.each(testDatabases.eachSupportedId())(
  'Deletion on %s',
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];
    let knex: Awaited<ReturnType<typeof startPhasetBackend>>['knex'];

    beforeAll(async () => {
      ({ server, knex } = await startPhasetBackend(databaseId, {
        organizations: [{ id: 'demoorg' }],
        integration: { requestsPerMinute: 0 },
      }));
    });

    const webhook = async (recordId: string, name: string) =>
      (
        await request(server)
          .post(`/api/phaset/records/${recordId}/webhooks`)
          .send({ name, source: 'ci' })
          .expect(201)
      ).body.token as string;
    const sendEvents = async (recordId: string, token: string, n: number) => {
      for (let i = 0; i < n; i++) {
        await request(server)
          .post(`/api/phaset/integration/event/demoorg/${recordId}/${token}`)
          .send({
            event: 'change',
            commitSha: `${token.slice(-8)}${i}`,
            timestamp: String(1_700_000_000 + i),
          })
          .expect(200);
      }
    };

    it('removes every row of a deleted Record, refuses its tokens at once, and a re-created one starts empty', async () => {
      await request(server)
        .post('/api/phaset/records')
        .send({ organization: 'demoorg', id: 'deleteme01' })
        .expect(201);
      const token = await webhook('deleteme01', 'ci');
      const base = (route: string) =>
        `/api/phaset/integration/${route}/demoorg/deleteme01/${token}`;
      await request(server).post(base('record')).send(manifest()).expect(200);
      await request(server)
        .post(base('standards'))
        .send(standardLintOutput())
        .expect(200);
      await sendEvents('deleteme01', token, 5);
      expect(await rowsOf(knex, 'deleteme01')).toEqual({
        phaset_records: 1,
        phaset_tokens: 1,
        phaset_standards_results: 1,
        phaset_events: 5,
        phaset_raw_events: 5,
      });

      await request(server)
        .delete('/api/phaset/records/deleteme01')
        .expect(204);
      // Refused at once, though the event route had just cached the token.
      await request(server)
        .post(base('event'))
        .send({ event: 'comment' })
        .expect(401);
      expect(await rowsOf(knex, 'deleteme01')).toEqual(NO_ROWS);

      await request(server)
        .post('/api/phaset/records')
        .send({ organization: 'demoorg', id: 'deleteme01' })
        .expect(201);
      await request(server)
        .post(base('event'))
        .send({ event: 'comment' })
        .expect(401);
      const recreated = await request(server)
        .get('/api/phaset/records/deleteme01')
        .expect(200);
      expect(recreated.body.manifest).toBeUndefined();
      expect(
        (await request(server).get('/api/phaset/records/deleteme01/events'))
          .body.items,
      ).toEqual([]);
      expect(
        (await request(server).get('/api/phaset/records/deleteme01/tokens'))
          .body.items,
      ).toEqual([]);
      const standards = await request(server)
        .get('/api/phaset/records/deleteme01/standards')
        .expect(200);
      expect(standards.body.history ?? []).toEqual([]);
    });

    it('revoking a webhook with deleteData=true removes exactly what it sent', async () => {
      await request(server)
        .post('/api/phaset/records')
        .send({ organization: 'demoorg', id: 'revokeme01' })
        .expect(201);
      const first = await webhook('revokeme01', 'first');
      const second = await webhook('revokeme01', 'second');
      await sendEvents('revokeme01', first, 3);
      await sendEvents('revokeme01', second, 2);
      const keptEvents = await knex('phaset_events')
        .join('phaset_tokens', 'phaset_tokens.id', 'phaset_events.token_id')
        .where('phaset_tokens.name', 'second')
        .select('phaset_events.id')
        .orderBy('phaset_events.id');
      const keptRaw = await knex('phaset_raw_events')
        .join('phaset_tokens', 'phaset_tokens.id', 'phaset_raw_events.token_id')
        .where('phaset_tokens.name', 'second')
        .select('phaset_raw_events.id')
        .orderBy('phaset_raw_events.id');
      const { body } = await request(server)
        .get('/api/phaset/records/revokeme01/webhooks')
        .expect(200);
      const firstId = body.items.find((w: any) => w.name === 'first').id;

      await request(server)
        .delete(
          `/api/phaset/records/revokeme01/webhooks/${firstId}?deleteData=true`,
        )
        .expect(204);
      await request(server)
        .post(`/api/phaset/integration/event/demoorg/revokeme01/${first}`)
        .send({ event: 'comment' })
        .expect(401);
      expect(
        await knex('phaset_events')
          .where({ record_id: 'revokeme01' })
          .select('id')
          .orderBy('id'),
      ).toEqual(keptEvents);
      expect(
        await knex('phaset_raw_events')
          .where({ record_id: 'revokeme01' })
          .select('id')
          .orderBy('id'),
      ).toEqual(keptRaw);
      expect(keptEvents).toHaveLength(2);
      expect(keptRaw).toHaveLength(2);
    });

    it("another instance refuses a deleted Record's token within a second, storing nothing meanwhile", async () => {
      // A second backend on the same database, as a replica would be.
      const replica = await startTestBackend({
        features: [
          phasetPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              phaset: {
                organizations: [{ id: 'demoorg' }],
                integration: { requestsPerMinute: 0 },
              },
            },
          }),
        ],
      });
      await request(server)
        .post('/api/phaset/records')
        .send({ organization: 'demoorg', id: 'replicate1' })
        .expect(201);
      const token = await webhook('replicate1', 'ci');
      const event = `/api/phaset/integration/event/demoorg/replicate1/${token}`;
      // The replica caches the Record and its token.
      await request(replica.server)
        .post(event)
        .send({ event: 'change', commitSha: 'aaa' })
        .expect(200);
      await request(server)
        .delete('/api/phaset/records/replicate1')
        .expect(204);
      const meanwhile = await request(replica.server)
        .post(event)
        .send({ event: 'change', commitSha: 'bbb' });
      expect(meanwhile.status).toBe(401);
      await new Promise(resolve => setTimeout(resolve, 1100));
      await request(replica.server)
        .post(event)
        .send({ event: 'change', commitSha: 'ccc' })
        .expect(401);
      expect(await rowsOf(knex, 'replicate1')).toEqual(NO_ROWS);
      await replica.stop();
    });
  },
);
