import request from 'supertest';
import { createHmac } from 'crypto';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  DEMO_TOKEN,
  startPhasetBackend,
  testDatabases,
} from '../../__testUtils__/startPhasetBackend';
import { seedManifest, standardLintOutput } from '../../__testUtils__/fixtures';
import { countRows, newRecord } from '../../__testUtils__/events';

/** Seed 001's manifest without its Baseline (not configured here). */
const manifest = () => {
  const { baseline, ...rest } = seedManifest();
  return rest;
};

/**
 * A generated webhook carries a scope: its tool's deliveries on the event
 * route (DevLake's on the DevLake routes). CI tokens (`source: ci`, tokens
 * from config) carry them all.
 */
describe.each(testDatabases.eachSupportedId())(
  'Token scopes on %s',
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];
    let knex: Awaited<ReturnType<typeof startPhasetBackend>>['knex'];

    beforeAll(async () => {
      ({ server, knex } = await startPhasetBackend(databaseId));
    });

    const manifestOf = async (recordId: string) =>
      (await knex('phaset_records').where({ id: recordId }).first()).manifest;
    const standardsOf = async (recordId: string) =>
      (await knex('phaset_standards_results').where({ record_id: recordId }))
        .length;

    it.each(['github', 'gitlab', 'jira', 'devlake'])(
      'a %s webhook can neither push a manifest or Standards nor read a Baseline',
      async source => {
        const record = await newRecord(server, source);
        const path = (route: string) =>
          `/api/phaset/integration/${route}/demoorg/${record.id}/${record.token}`;
        const refused = await request(server)
          .post(path('record'))
          .send(manifest())
          .expect(403);
        expect(refused.body.error.message).toMatch(
          new RegExp(`generated for ${source}`),
        );
        await request(server)
          .post(path('standards'))
          .send(standardLintOutput())
          .expect(403);
        await request(server)
          .get(
            `/api/phaset/integration/baselines/demoorg/default/${record.id}/${record.token}`,
          )
          .expect(403);
        expect(await manifestOf(record.id)).toBeNull();
        expect(await standardsOf(record.id)).toBe(0);
      },
    );

    it("a tool's webhook takes only that tool's deliveries, DevLake's only on the DevLake routes", async () => {
      const github = await newRecord(server, 'github');
      const body = '{"event":"change","commitSha":"abc"}';
      // A Phaset JSON event, correctly signed with the GitHub secret.
      await request(server)
        .post(github.eventUrl)
        .set('Content-Type', 'application/json')
        .set(
          'X-Hub-Signature-256',
          `sha256=${createHmac('sha256', github.signingSecret!)
            .update(body)
            .digest('hex')}`,
        )
        .send(body)
        .expect(400);
      await request(server)
        .post(`/api/phaset/devlake/${github.id}/${github.token}/deployments`)
        .send({ commit_sha: 'abc', start_time: '2020-01-01T12:00:00Z' })
        .expect(res => expect([400, 403]).toContain(res.status));

      const devlake = await newRecord(server, 'devlake');
      await request(server)
        .post(devlake.eventUrl)
        .send({ event: 'change', commitSha: 'abc' })
        .expect(res => expect([400, 403]).toContain(res.status));
      expect(await countRows(knex, github.id)).toEqual({ events: 0, raw: 0 });
      expect(await countRows(knex, devlake.id)).toEqual({ events: 0, raw: 0 });
    });

    it('a ci webhook, an issued token and a config token open every integration route', async () => {
      const ci = await newRecord(server, 'ci');
      const issued = await request(server)
        .post(`/api/phaset/records/${ci.id}/tokens`)
        .send({ name: 'plain' })
        .expect(201);
      const credentials = [
        { recordId: ci.id, token: ci.token },
        { recordId: ci.id, token: issued.body.token as string },
        { recordId: 'demorecord', token: DEMO_TOKEN },
      ];
      for (const { recordId, token } of credentials) {
        const path = (route: string) =>
          `/api/phaset/integration/${route}/demoorg/${recordId}/${token}`;
        await request(server).post(path('record')).send(manifest()).expect(200);
        await request(server)
          .post(path('standards'))
          .send(standardLintOutput())
          .expect(200);
        await request(server)
          .get(
            `/api/phaset/integration/baselines/demoorg/default/${recordId}/${token}`,
          )
          .expect(200);
        await request(server)
          .post(path('event'))
          .send({ event: 'change', commitSha: `sha-${token.slice(-6)}` })
          .expect(200);
        await request(server)
          .post(`/api/phaset/devlake/${recordId}/${token}/deployments`)
          .send({
            commit_sha: `dl-${token.slice(-6)}`,
            repo_url: 'https://example.com/repo',
            start_time: '2020-01-01T12:00:00Z',
            end_time: '2020-01-01T13:00:00Z',
          })
          .expect(200);
      }
      // Each credential's change and DevLake deployment were stored.
      expect(await countRows(knex, ci.id)).toEqual({ events: 4, raw: 4 });
    });
  },
);
