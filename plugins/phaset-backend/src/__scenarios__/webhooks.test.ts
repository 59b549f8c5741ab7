import { createHmac } from 'crypto';
import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  startPhasetBackend,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import {
  countRows,
  fixtureHeaders,
  newRecord,
  rawFixture,
  storedEvents,
} from '../__testUtils__/events';

// Seed 002's curl bodies, byte for byte.
const SEED_DEPLOYMENT = `{
"pipeline_id": "optional-pipeline-id",
"environment":"PRODUCTION",
"repo_url":"https://github.com/apache/incubator-devlake/",
"repo_id": "optional-repo-id",
"name": "optional-deployment-name. If you do not post a name, DevLake will generate one for you.",
"ref_name": "optional-release-v0.17",
"commit_sha":"015e3d3b480e417aede5a1293bd61de9b0fd051d",
"commit_msg":"optional-commit-message",
"create_time":"2020-01-01T11:00:00+00:00",
"start_time":"2020-01-01T12:00:00+00:00",
"end_time":"2020-01-02T13:00:00+00:00",
"result": "FAILURE"
}`;
const SEED_MULTI_REPO = `{
"pipeline_id": "optional-pipeline-id",
"environment":"PRODUCTION",
"repo_id": "optional-repo-id",
"name": "optional-deployment-name. If you do not post a name, DevLake will generate one for you.",
"create_time":"2020-01-01T11:00:00+00:00",
"start_time":"2020-01-01T12:00:00+00:00",
"end_time":"2020-01-02T13:00:00+00:00",
"result": "FAILURE",
"deploymentCommits":[
{
"repo_url":"repo-1",
"name":"optional, if null, it will be deployment for {commit_sha}",
"ref_name": "optional-release-v0.17",
"commit_sha":"c1",
"commit_msg":"optional-msg-1"
},
{
"repo_url":"repo-2",
"name":"optional, if null, it will be deployment for {commit_sha}",
"ref_name": "optional-release-v0.17",
"commit_sha":"c2",
"commit_msg":"optional-msg-2"
}
]
}`;
const SEED_BASIC_AUTH = `{
"deploymentCommits":[
{
"commit_sha":"the sha of deployment commit1",
"repo_url":"the repo URL of the deployment commit"
}
],
"start_time":"2020-01-01T12:00:00+00:00",
"end_time":"2020-01-02T12:00:00+00:00"
}`;
const SEED_INCIDENT = `{
"issue_key":"DLK-1234",
"title":"a feature from DLK",
"description":"",
"url":"",
"type":"INCIDENT",
"status":"TODO",
"created_date":"2020-01-01T12:00:00+00:00",
"updated_date":"2020-01-01T12:00:00+00:00",
"priority":"",
"severity":"",
"creator_id":"user1131",
"creator_name":"Nick name 1",
"assignee_id":"user1132",
"assignee_name":"Nick name 2"
}`;

const hmac = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest('hex');

describe.each(testDatabases.eachSupportedId())(
  'Webhooks on %s',
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];
    let knex: Awaited<ReturnType<typeof startPhasetBackend>>['knex'];

    beforeAll(async () => {
      ({ server, knex } = await startPhasetBackend(databaseId));
    });

    describe('DevLake-compatible endpoints', () => {
      // curl -d sends application/x-www-form-urlencoded: the body is read as is.
      const curl = (path: string, body?: string) => {
        const req = request(server)
          .post(`/api/phaset${path}`)
          .set('Content-Type', 'application/x-www-form-urlencoded');
        return body === undefined ? req : req.send(body);
      };

      it("accepts seed 002's curl examples verbatim", async () => {
        const record = await newRecord(server, 'devlake');
        expect(record.url).toMatch(
          new RegExp(`/api/phaset/devlake/${record.id}/${record.token}$`),
        );
        const base = `/devlake/${record.id}/${record.token}`;
        expect(
          (await curl(`${base}/deployments`, SEED_DEPLOYMENT).expect(200)).body,
        ).toEqual({ accepted: 1, duplicates: 0 });
        await curl(`${base}/deployments`, SEED_MULTI_REPO).expect(200);
        // The -u 'username:password' example: the password is the token.
        await curl(`/devlake/${record.id}/deployments`, SEED_BASIC_AUTH)
          .auth('devlake', record.token)
          .expect(200);
        await curl(`${base}/issues`, SEED_INCIDENT).expect(200);
        const before = Date.now();
        await curl(`${base}/issue/DLK-1234/close`).expect(200);

        const events = await storedEvents(knex, record.id);
        const deployments = events.filter(e => e.kind === 'deployment');
        // By time, then commit: events of one instant come in no set order.
        const byTimeAndCommit = (a: unknown[], b: unknown[]) =>
          String(a[4]).localeCompare(String(b[4])) ||
          String(a[0]).localeCompare(String(b[0]));
        expect(
          deployments
            .map(d => [
              d.commit_sha,
              d.result,
              d.environment,
              d.is_production,
              d.occurred_at,
            ])
            .sort(byTimeAndCommit),
        ).toEqual(
          [
            [
              '015e3d3b480e417aede5a1293bd61de9b0fd051d',
              'failure',
              'PRODUCTION',
              true,
              '2020-01-02T13:00:00.000Z',
            ],
            ['c1', 'failure', 'PRODUCTION', true, '2020-01-02T13:00:00.000Z'],
            ['c2', 'failure', 'PRODUCTION', true, '2020-01-02T13:00:00.000Z'],
            [
              'the sha of deployment commit1',
              'success',
              'PRODUCTION',
              true,
              '2020-01-02T12:00:00.000Z',
            ],
          ].sort(byTimeAndCommit),
        );
        const incident = events.find(e => e.kind === 'incident-opened')!;
        expect(incident).toMatchObject({
          source: 'devlake',
          incident_id: 'DLK-1234',
          opened_at: '2020-01-01T12:00:00.000Z',
        });
        // Closing sets the resolution time (DevLake's bug #7970 left it empty).
        expect(
          new Date(String(incident.resolved_at)).getTime(),
        ).toBeGreaterThanOrEqual(before - 1000);
      });

      it('accepts the camelCase spelling with a Bearer token, once per deployment', async () => {
        const record = await newRecord(server, 'devlake');
        const body = {
          id: 'deploy-42',
          environment: 'STAGING',
          result: 'SUCCESS',
          startedDate: '2024-05-01T10:00:00Z',
          finishedDate: '2024-05-01T10:05:00Z',
          deploymentCommits: [
            { repoUrl: 'https://git/x', commitSha: 'abc123' },
          ],
        };
        const send = () =>
          request(server)
            .post(`/api/phaset/devlake/${record.id}/deployments`)
            .set('Authorization', `Bearer ${record.token}`)
            .send(body);
        expect((await send().expect(200)).body).toEqual({
          accepted: 1,
          duplicates: 0,
        });
        expect((await send().expect(200)).body).toEqual({
          accepted: 0,
          duplicates: 1,
        });
        expect(await storedEvents(knex, record.id)).toEqual([
          expect.objectContaining({
            commit_sha: 'abc123',
            environment: 'STAGING',
            is_production: false,
            deployment_id: 'deploy-42',
            occurred_at: '2024-05-01T10:05:00.000Z',
          }),
        ]);
      });

      it('ignores non-incident issues and closes of unknown issues; rejects bad input', async () => {
        const record = await newRecord(server, 'devlake');
        const base = `/devlake/${record.id}/${record.token}`;
        const bug = SEED_INCIDENT.replace('"INCIDENT"', '"BUG"');
        expect((await curl(`${base}/issues`, bug).expect(202)).body).toEqual({
          ignored: 'issue type "BUG" is not an incident',
        });
        expect(
          (await curl(`${base}/issue/NOPE-1/close`).expect(202)).body.ignored,
        ).toMatch(/NOPE-1/);
        const noStart = await curl(
          `${base}/deployments`,
          '{"commit_sha":"a","repo_url":"r"}',
        ).expect(400);
        expect(noStart.body.error.message).toContain('start_time');
        await request(server)
          .post(`/api/phaset/devlake/${record.id}/deployments`)
          .send(SEED_DEPLOYMENT)
          .expect(401);
        await curl(
          `/devlake/${record.id}/phs_wrong/deployments`,
          SEED_DEPLOYMENT,
        ).expect(401);
        expect(await countRows(knex, record.id)).toEqual({ events: 0, raw: 0 });
      });
    });

    describe('signatures', () => {
      const body = rawFixture('github', 'pull_request.opened.json');
      const cases: Array<
        [string, string, string, (secret: string) => Record<string, string>]
      > = [
        [
          'github',
          'github',
          'pull_request.opened.json',
          s => ({
            'X-Hub-Signature-256': `sha256=${hmac(
              s,
              rawFixture('github', 'pull_request.opened.json'),
            )}`,
          }),
        ],
        [
          'gitlab',
          'gitlab',
          'merge_request.open.json',
          s => ({ 'X-Gitlab-Token': s }),
        ],
        [
          'bitbucket',
          'bitbucket',
          'pullrequest.created.json',
          s => ({
            'X-Hub-Signature': `sha256=${hmac(
              s,
              rawFixture('bitbucket', 'pullrequest.created.json'),
            )}`,
          }),
        ],
        [
          'azure-devops header',
          'azure-devops',
          'git.push.json',
          s => ({ 'X-Azure-Token': ` ${s}` }),
        ],
        [
          'azure-devops basic auth',
          'azure-devops',
          'git.push.json',
          s => ({
            Authorization: `Basic ${Buffer.from(`phaset:${s}`).toString(
              'base64',
            )}`,
          }),
        ],
        [
          'jira',
          'jira',
          'comment_created.json',
          s => ({
            'X-Hub-Signature': `sha256=${hmac(
              s,
              rawFixture('jira', 'comment_created.json'),
            )}`,
          }),
        ],
        [
          'linear',
          'linear',
          'Comment.create.json',
          s => ({
            'Linear-Signature': hmac(
              s,
              rawFixture('linear', 'Comment.create.json'),
            ),
          }),
        ],
      ];

      it.each(cases)(
        'verifies %s on the raw body',
        async (_name, source, file, sign) => {
          const record = await newRecord(server, source);
          expect(record.signingSecret).toMatch(/^[0-9a-f]{48}$/);
          // Stored sealed under the token, which is not stored itself.
          const row = await knex('phaset_tokens')
            .where({ id: record.webhookId })
            .first();
          expect(row.signing_secret).toMatch(/^v1\./);
          expect(JSON.stringify(row)).not.toContain(record.signingSecret);
          expect(JSON.stringify(row)).not.toContain(record.token);
          const send = (
            headers: Record<string, string>,
            payload = rawFixture(source, file),
          ) =>
            request(server)
              .post(record.eventUrl)
              .set(fixtureHeaders(source, file, `sig-${Math.random()}`))
              .set(headers)
              .set('Content-Type', 'application/json')
              .send(payload);

          const missing = await send({}).expect(401);
          expect(missing.body.error.message).toMatch(
            /^Invalid webhook signature: missing/,
          );
          const forged = await send(sign('not-the-secret')).expect(401);
          expect(forged.body.error.message).toMatch(/does not match/);
          // The same JSON re-serialised is not what was signed.
          await send(
            sign(record.signingSecret!),
            JSON.stringify(JSON.parse(rawFixture(source, file))),
          ).expect(
            source === 'gitlab' || source === 'azure-devops' ? 200 : 401,
          );
          await knex('phaset_events').where({ record_id: record.id }).delete();
          await knex('phaset_raw_events')
            .where({ record_id: record.id })
            .delete();

          await send(sign(record.signingSecret!)).expect(200);
          expect(await countRows(knex, record.id)).toEqual({
            events: 1,
            raw: 1,
          });
          const [listed] = (
            await request(server)
              .get(`/api/phaset/records/${record.id}/webhooks`)
              .expect(200)
          ).body.items;
          // Missing, forged and (for HMACs) re-serialised: each counted as rejected.
          expect(listed).toMatchObject({
            source,
            signed: true,
            deliveriesRejected:
              source === 'gitlab' || source.startsWith('azure') ? 2 : 3,
          });
        },
      );

      it('authenticates unsigned webhooks by the path token alone', async () => {
        const record = await newRecord(server, 'github');
        await knex('phaset_tokens')
          .where({ id: record.webhookId })
          .update({ signing_secret: null });
        await request(server)
          .post(`${record.eventUrl}`)
          .set(fixtureHeaders('github', 'pull_request.opened.json', 'unsigned'))
          .set('Content-Type', 'application/json')
          .send(body)
          .expect(200);
        expect(await countRows(knex, record.id)).toEqual({ events: 1, raw: 1 });
      });
    });

    describe('generated webhooks', () => {
      it('creates, lists, renames and rejects payloads of another tool', async () => {
        const record = await newRecord(server, 'gitlab');
        expect(record.url).toMatch(
          new RegExp(
            `/api/phaset/integration/event/demoorg/${record.id}/${record.token}$`,
          ),
        );
        const second = await request(server)
          .post(`/api/phaset/records/${record.id}/webhooks`)
          .send({ name: 'deployments', source: 'ci' })
          .expect(201);
        expect(second.body.signingSecret).toBeUndefined();
        await request(server)
          .post(`/api/phaset/records/${record.id}/webhooks`)
          .send({ name: 'x', source: 'svn' })
          .expect(400);

        const mismatch = await request(server)
          .post(record.eventUrl)
          .set('X-Gitlab-Token', record.signingSecret!)
          .send({ event: 'comment' })
          .expect(400);
        expect(mismatch.body.error.message).toMatch(/generated for gitlab/);

        await request(server)
          .post(
            `/api/phaset/integration/event/demoorg/${record.id}/${second.body.token}`,
          )
          .send({ event: 'comment' })
          .expect(200);
        await request(server)
          .patch(`/api/phaset/records/${record.id}/webhooks/${second.body.id}`)
          .send({ name: 'ci-deployments' })
          .expect(200);
        const listed = (
          await request(server)
            .get(`/api/phaset/records/${record.id}/webhooks`)
            .expect(200)
        ).body.items;
        expect(listed).toEqual([
          expect.objectContaining({
            id: record.webhookId,
            source: 'gitlab',
            deliveriesAccepted: 0,
            deliveriesRejected: 1,
          }),
          expect.objectContaining({
            id: second.body.id,
            name: 'ci-deployments',
            source: 'ci',
            deliveriesAccepted: 1,
            deliveriesRejected: 0,
            lastDeliveryAt: expect.any(String),
            createdAt: expect.any(String),
          }),
        ]);
        expect(JSON.stringify(listed)).not.toContain(record.signingSecret);
      });

      it("revokes at once, and with deleteData removes exactly that webhook's events", async () => {
        const record = await newRecord(server);
        const other = await request(server)
          .post(`/api/phaset/records/${record.id}/webhooks`)
          .send({ name: 'other' })
          .expect(201);
        const otherUrl = `/api/phaset/integration/event/demoorg/${record.id}/${other.body.token}`;
        await request(server)
          .post(record.eventUrl)
          .send({ event: 'change', commitSha: 'a1' })
          .expect(200);
        await request(server)
          .post(record.eventUrl)
          .send({ event: 'comment' })
          .expect(200);
        await request(server)
          .post(otherUrl)
          .send({ event: 'change', commitSha: 'b2' })
          .expect(200);

        await request(server)
          .delete(
            `/api/phaset/records/${record.id}/webhooks/${record.webhookId}?deleteData=true`,
          )
          .expect(204);
        await request(server)
          .post(record.eventUrl)
          .send({ event: 'comment' })
          .expect(401);
        expect(
          (await storedEvents(knex, record.id)).map(e => e.commit_sha),
        ).toEqual(['b2']);
        const listed = await request(server)
          .get(`/api/phaset/records/${record.id}/events`)
          .expect(200);
        expect(listed.body.items).toEqual([
          expect.objectContaining({
            kind: 'change',
            commitSha: 'b2',
            tokenId: other.body.id,
          }),
        ]);
        expect(await countRows(knex, record.id)).toEqual({ events: 1, raw: 1 });

        // Without deleteData the events stay.
        await request(server)
          .delete(`/api/phaset/records/${record.id}/webhooks/${other.body.id}`)
          .expect(204);
        await request(server)
          .post(otherUrl)
          .send({ event: 'comment' })
          .expect(401);
        expect(await countRows(knex, record.id)).toEqual({ events: 1, raw: 1 });
      });

      it('keeps the token routes working as webhooks of source ci', async () => {
        const record = await newRecord(server);
        const issued = await request(server)
          .post(`/api/phaset/records/${record.id}/tokens`)
          .send({ name: 'legacy' })
          .expect(201);
        expect(issued.body.source).toBe('ci');
        await request(server)
          .post(
            `/api/phaset/integration/event/demoorg/${record.id}/${issued.body.token}`,
          )
          .send({ event: 'comment' })
          .expect(200);
      });
    });
  },
);
