import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  DEMO_TOKEN,
  OTHER_TOKEN,
  startPhasetBackend,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import { seedManifest, standardLintOutput } from '../__testUtils__/fixtures';

const recordUrl = (
  token = DEMO_TOKEN,
  org = 'demoorg',
  record = 'demorecord',
) => `/api/phaset/integration/record/${org}/${record}/${token}`;
const standardsUrl = (token = DEMO_TOKEN, record = 'demorecord') =>
  `/api/phaset/integration/standards/demoorg/${record}/${token}`;
const baselineUrl = (
  baselineId: string,
  record = 'demorecord',
  org = 'demoorg',
) =>
  `/api/phaset/integration/baselines/${org}/${baselineId}/${record}/${DEMO_TOKEN}`;

describe.each(testDatabases.eachSupportedId())(
  'Integration API on %s',
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];
    let knex: Awaited<ReturnType<typeof startPhasetBackend>>['knex'];

    beforeAll(async () => {
      ({ server, knex } = await startPhasetBackend(databaseId));
    });

    const storedRecord = async () =>
      (await request(server).get('/api/phaset/records/demorecord').expect(200))
        .body;
    const tableCounts = async () => ({
      records: await knex('phaset_records').count({ n: '*' }),
      standards: await knex('phaset_standards_results').count({ n: '*' }),
      tokens: await knex('phaset_tokens').count({ n: '*' }),
    });

    describe('POST /integration/record', () => {
      it('stores the seed manifest and reads it back identical', async () => {
        const manifest = seedManifest();
        const response = await request(server)
          .post(recordUrl())
          .send(manifest)
          .expect(200);
        expect(response.body).toEqual({
          recordId: 'demorecord',
          status: 'updated',
        });

        const record = await storedRecord();
        expect(record.manifest).toEqual(manifest);
        expect(record.entityRef).toBe('component:default/demo-service');
        const row = await knex('phaset_records')
          .where({ id: 'demorecord' })
          .first();
        expect(JSON.parse(row.manifest_raw)).toEqual(manifest);
      });

      it('updates the manifest on a second post', async () => {
        const manifest = seedManifest();
        manifest.spec.version = '2.0.0';
        await request(server).post(recordUrl()).send(manifest).expect(200);
        expect((await storedRecord()).manifest.spec.version).toBe('2.0.0');
      });

      it('lists every violation with its path and changes nothing', async () => {
        const before = await storedRecord();
        const manifest = seedManifest();
        manifest.spec.kind = 'microservice';
        manifest.spec.group = 'short';
        manifest.contacts = [{ email: 'not-an-email' }];
        manifest.tags = ['has space'];
        manifest.colour = 'blue';
        const response = await request(server)
          .post(recordUrl())
          .send(manifest)
          .expect(400);
        expect(response.body.error.name).toBe('InputError');
        expect(response.body.error.message).toMatch(/^Invalid request body: /);
        expect(
          [...new Set(response.body.issues.map((i: any) => i.path))].sort(),
        ).toEqual(
          [
            'colour',
            'contacts[0].email',
            'spec.group',
            'spec.kind',
            'tags[0]',
          ].sort(),
        );
        expect(await storedRecord()).toEqual(before);
      });

      it('rejects a body without spec, naming the field', async () => {
        const response = await request(server)
          .post(recordUrl())
          .send({})
          .expect(400);
        expect(response.body.issues).toEqual([
          { path: 'spec', message: expect.any(String) },
        ]);
      });

      it('answers malformed JSON with 400 and oversized bodies with 413', async () => {
        const before = await storedRecord();
        const malformed = await request(server)
          .post(recordUrl())
          .set('Content-Type', 'application/json')
          .send('{"spec": ')
          .expect(400);
        expect(malformed.body.error.message).toBeTruthy();

        const big = seedManifest();
        big.metadata = Object.fromEntries(
          Array.from({ length: 2200 }, (_, i) => [`k${i}`, 'x'.repeat(480)]),
        );
        const tooLarge = await request(server)
          .post(recordUrl())
          .send(big)
          .expect(413);
        expect(tooLarge.body.error.name).toBeTruthy();
        expect(await storedRecord()).toEqual(before);
      });

      it.each([
        ['a wrong token', recordUrl('not-the-token')],
        ["another Record's token", recordUrl(OTHER_TOKEN)],
        [
          'a token of the same name in another org',
          recordUrl(DEMO_TOKEN, 'otherorg'),
        ],
        ['an unknown organization', recordUrl(DEMO_TOKEN, 'nosuchorg')],
        ['an unknown Record', recordUrl(DEMO_TOKEN, 'demoorg', 'nosuchrec1')],
      ])('answers %s with 401 and stores nothing', async (_, url) => {
        const before = await tableCounts();
        const response = await request(server)
          .post(url)
          .send(seedManifest())
          .expect(401);
        expect(response.body.error).toEqual(
          expect.objectContaining({
            name: 'AuthenticationError',
            message: 'Invalid webhook token for this Record',
          }),
        );
        expect(await tableCounts()).toEqual(before);
      });

      it.each([
        ['too long', 'x'.repeat(300)],
        ['too short', 'demo'],
        ['not letters or digits', 'demo-rec-1'],
      ])(
        'answers a Record id that is %s with 400 naming it, on every route family',
        async (_, badId) => {
          const before = await tableCounts();
          for (const [method, url, field] of [
            ['post', recordUrl(DEMO_TOKEN, 'demoorg', badId), 'RECORD_ID'],
            [
              'post',
              `/api/phaset/integration/event/demoorg/${badId}/${DEMO_TOKEN}`,
              'RECORD_ID',
            ],
            ['post', `/api/phaset/devlake/${badId}/issues`, 'recordId'],
            ['get', `/api/phaset/records/${badId}`, 'id'],
            ['get', `/api/phaset/metrics/${badId}`, 'recordId'],
          ] as const) {
            const response = await request(server)[method](url).send({});
            expect(response.status).toBe(400);
            expect(response.body.error.message).toBe(
              `${field}: a Record id is 10 letters or digits`,
            );
          }
          expect(await tableCounts()).toEqual(before);
        },
      );
    });

    describe('POST /integration/standards', () => {
      it('stores real StandardLint output against the Record baseline', async () => {
        const output = standardLintOutput();
        const response = await request(server)
          .post(standardsUrl())
          .send(output)
          .expect(200);
        // The seed manifest names Baseline abcd1234.
        expect(response.body).toEqual({
          recordId: 'demorecord',
          baselineId: 'abcd1234',
          passes: output.passes,
          warnings: output.warnings,
          failures: output.failures,
        });

        const standards = (
          await request(server)
            .get('/api/phaset/records/demorecord/standards')
            .expect(200)
        ).body;
        expect(standards.latest).toEqual(
          expect.objectContaining({
            baselineId: 'abcd1234',
            passes: output.passes,
            warnings: output.warnings,
            failures: output.failures,
            results: output.results,
          }),
        );
        expect(JSON.parse(standards.latest.raw)).toEqual(output);
      });

      it('normalises the contract spelling and keeps history', async () => {
        await request(server)
          .post(standardsUrl())
          .send({
            passes: 1,
            warnings: 1,
            failures: 1,
            results: [
              { name: 'a', message: 'm', path: 'README.md', status: 'pass' },
              { name: 'b', message: 'm', path: 'x', status: 'warning' },
              { name: 'c', message: 'm', path: 'y', status: 'failure' },
            ],
          })
          .expect(200);
        const standards = (
          await request(server)
            .get('/api/phaset/records/demorecord/standards')
            .expect(200)
        ).body;
        expect(standards.latest.results.map((r: any) => r.status)).toEqual([
          'pass',
          'warn',
          'fail',
        ]);
        expect(
          standards.history.map((h: any) => [h.passes, h.warnings, h.failures]),
        ).toEqual([
          [3, 2, 2],
          [1, 1, 1],
        ]);
      });

      it('rejects counts that disagree with the results, storing nothing', async () => {
        const before = await tableCounts();
        const output = standardLintOutput();
        output.passes += 1;
        const response = await request(server)
          .post(standardsUrl())
          .send(output)
          .expect(400);
        expect(response.body.issues.map((i: any) => i.path)).toEqual([
          'passes',
        ]);
        expect(await tableCounts()).toEqual(before);
      });

      it('rejects an unknown status naming the field', async () => {
        const output = standardLintOutput();
        output.results[0].status = 'ok';
        const response = await request(server)
          .post(standardsUrl())
          .send(output)
          .expect(400);
        expect(response.body.issues.map((i: any) => i.path)).toContain(
          'results[0].status',
        );
      });
    });

    describe('GET /integration/baselines', () => {
      it('serves the organisation default as StandardLint configuration', async () => {
        const response = await request(server)
          .get(baselineUrl('default'))
          .expect(200);
        expect(response.body).toEqual({
          checks: [
            { name: 'checkForPresenceReadme', severity: 'error' },
            { name: 'checkForPresenceChangelog', severity: 'warn' },
          ],
          ignorePaths: ['node_modules'],
        });
      });

      it('serves a configured Baseline by id', async () => {
        const response = await request(server)
          .get(baselineUrl('strict'))
          .expect(200);
        expect(response.body).toEqual({
          defaultSeverity: 'error',
          basePath: '.',
          checks: [
            { name: 'checkForPresenceLicense', severity: 'error' },
            { name: 'checkForPresenceTests', severity: 'warn', path: 'tests' },
          ],
        });
      });

      it('gives 404 for an unknown id when the Record names a Baseline', async () => {
        const response = await request(server)
          .get(baselineUrl('nosuchbase'))
          .expect(404);
        expect(response.body.error.message).toMatch(/baselineId/);
      });

      it('gives the default for an unknown id when the Record names none', async () => {
        const response = await request(server)
          .get(baselineUrl('nosuchbase', 'otherrec01'))
          .set('Accept', 'application/json');
        // otherrec01 has its own token; use it.
        expect(response.status).toBe(401);
        const own = await request(server)
          .get(
            `/api/phaset/integration/baselines/demoorg/nosuchbase/otherrec01/${OTHER_TOKEN}`,
          )
          .expect(200);
        expect(own.body.checks[0].name).toBe('checkForPresenceReadme');
      });

      it("uses the organisation's own default Baseline", async () => {
        const response = await request(server)
          .get(
            `/api/phaset/integration/baselines/otherorg/default/otherorg01/${DEMO_TOKEN}`,
          )
          .expect(200);
        expect(response.body.checks[0].name).toBe('checkForPresenceLicense');
      });
    });
  },
);

describe('Integration API rate limit', () => {
  it('answers 429 once a Record spends its budget', async () => {
    const [databaseId] = testDatabases.eachSupportedId()[0];
    const { server } = await startPhasetBackend(databaseId, {
      organizations: [{ id: 'demoorg' }],
      records: [
        {
          id: 'demorecord',
          organization: 'demoorg',
          tokens: [{ name: 'ci', token: DEMO_TOKEN }],
        },
      ],
      integration: { requestsPerMinute: 2 },
    });
    await request(server).get(baselineUrl('default')).expect(200);
    await request(server).get(baselineUrl('default')).expect(200);
    const limited = await request(server)
      .get(baselineUrl('default'))
      .expect(429);
    expect(limited.body.error.name).toBe('TooManyRequestsError');
  });
});
