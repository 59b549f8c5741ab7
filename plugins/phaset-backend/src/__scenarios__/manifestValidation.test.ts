import request from 'supertest';
import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DEMO_TOKEN,
  startPhasetBackend,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import { seedManifest } from '../__testUtils__/fixtures';

type Body = Record<string, any>;
const text = (length: number) => 'a'.repeat(length);
const times = <T>(n: number, make: (i: number) => T) =>
  Array.from({ length: n }, (_, i) => make(i));

// One violation per constraint of the contract's RecordUpdate, each with the
// JSON path the 400 must name.
const violations: Array<[string, (body: Body) => void]> = [
  ['spec', b => delete b.spec],
  ['spec.repo', b => delete b.spec.repo],
  ['spec.name', b => delete b.spec.name],
  ['spec.repo', b => (b.spec.repo = '')],
  ['spec.repo', b => (b.spec.repo = text(501))],
  ['spec.name', b => (b.spec.name = text(501))],
  ['spec.description', b => (b.spec.description = text(1501))],
  ['spec.description', b => (b.spec.description = '')],
  ['spec.version', b => (b.spec.version = text(501))],
  ['spec.kind', b => (b.spec.kind = 'microservice')],
  ['spec.lifecycleStage', b => (b.spec.lifecycleStage = 'live')],
  ['spec.dataSensitivity', b => (b.spec.dataSensitivity = 'top-secret')],
  ['spec.businessCriticality', b => (b.spec.businessCriticality = 'huge')],
  ['spec.sourcingModel', b => (b.spec.sourcingModel = 'bought')],
  ['spec.deploymentModel', b => (b.spec.deploymentModel = 'mainframe')],
  ['spec.group', b => (b.spec.group = 'abc1234')],
  ['spec.system', b => (b.spec.system = 'abc123456')],
  ['spec.domain', b => (b.spec.domain = 'abc-1234')],
  ['spec.colour', b => (b.spec.colour = 'blue')],
  ['colour', b => (b.colour = 'blue')],
  ['contacts', b => (b.contacts = times(4, i => ({ email: `p${i}@x.io` })))],
  ['contacts[0].email', b => (b.contacts = [{ relation: 'Owner' }])],
  ['contacts[0].email', b => (b.contacts = [{ email: 'not-an-email' }])],
  ['contacts[0].email', b => (b.contacts = [{ email: `${text(46)}@x.io` }])],
  ['contacts[0].relation', b => (b.contacts[0].relation = text(51))],
  ['baseline.id', b => (b.baseline = {})],
  ['tags', b => (b.tags = times(21, i => `t${i}`))],
  ['tags[0]', b => (b.tags = ['has space'])],
  ['tags[0]', b => (b.tags = [text(51)])],
  ['tags[0]', b => (b.tags = [''])],
  ['dependencies[0].target', b => (b.dependencies[0].target = 'abc123456')],
  ['dependencies[0].target', b => delete b.dependencies[0].target],
  [
    'dependencies[0].description',
    b => (b.dependencies[0].description = text(301)),
  ],
  [
    'dependencies[0].criticality',
    b => (b.dependencies[0].criticality = 'vital'),
  ],
  ['slo', b => (b.slo = times(21, () => b.slo[0]))],
  ['slo[0].period', b => (b.slo[0].period = 0)],
  ['slo[0].period', b => (b.slo[0].period = 366)],
  ['slo[0].type', b => (b.slo[0].type = 'speed')],
  ['slo[0].title', b => delete b.slo[0].title],
  ['slo[0].description', b => (b.slo[0].description = text(1501))],
  ['slo[0].implementation', b => (b.slo[0].implementation = text(1501))],
  ['slo[0].target', b => (b.slo[0].target = text(501))],
  ['api', b => (b.api = times(21, i => ({ name: `api${i}` })))],
  ['api[0].name', b => delete b.api[0].name],
  ['api[0].schemaPath', b => (b.api[0].schemaPath = text(501))],
  ['links', b => (b.links = times(21, () => b.links[0]))],
  ['links[0].url', b => delete b.links[0].url],
  ['links[0].title', b => (b.links[0].title = text(501))],
  ['links[0].icon', b => (b.links[0].icon = 'rocket')],
  ['links[0].target', b => (b.links[0].target = '_blank')],
  ['metadata.createdBy', b => (b.metadata.createdBy = text(501))],
  ['metadata.createdBy', b => (b.metadata.createdBy = 42)],
];

describe.each(testDatabases.eachSupportedId())(
  'manifest validation over HTTP on %s',
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];

    beforeAll(async () => {
      ({ server } = await startPhasetBackend(databaseId));
      await request(server)
        .post(`/api/phaset/integration/record/demoorg/demorecord/${DEMO_TOKEN}`)
        .send(seedManifest())
        .expect(200);
    });

    it.each(violations)(
      'names %s and keeps the stored manifest',
      async (path, mutate) => {
        const body = seedManifest();
        mutate(body);
        const response = await request(server)
          .post(
            `/api/phaset/integration/record/demoorg/demorecord/${DEMO_TOKEN}`,
          )
          .send(body)
          .expect(400);
        expect(response.body.issues.map((i: any) => i.path)).toContain(path);
        expect(response.body.error.message).toContain(path);

        const stored = await request(server)
          .get('/api/phaset/records/demorecord')
          .expect(200);
        expect(stored.body.manifest).toEqual(seedManifest());
      },
    );
  },
);

describe('permissions', () => {
  it('answers 403 when the policy denies', async () => {
    const [databaseId] = testDatabases.eachSupportedId()[0];
    const { server } = await startPhasetBackend(databaseId, undefined, [
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    for (const call of [
      request(server).get('/api/phaset/records'),
      request(server)
        .post('/api/phaset/records')
        .send({ organization: 'demoorg' }),
      request(server).delete('/api/phaset/records/demorecord'),
      request(server)
        .post('/api/phaset/records/demorecord/tokens')
        .send({ name: 'x' }),
    ]) {
      const response = await call;
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
    }
    // The Integration API does not depend on Backstage permissions.
    await request(server)
      .get(
        `/api/phaset/integration/baselines/demoorg/default/demorecord/${DEMO_TOKEN}`,
      )
      .expect(200);
  });
});
