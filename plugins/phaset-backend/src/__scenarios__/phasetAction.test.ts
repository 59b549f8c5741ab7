import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  DEMO_TOKEN,
  startPhasetBackend,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import { standardLintOutput } from '../__testUtils__/fixtures';
import {
  actionReadsManifest,
  actionUrls,
  curlDataFromFile,
  deploymentBody,
  EMPTY_REPOSITORY_SHA,
} from '../__testUtils__/phasetAction';
import { DOUBLED_INTEGRATION_MESSAGE } from '../service/integrationEndpointHint';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const EXAMPLE_MANIFESTS = [
  path.join(EXAMPLES, 'phaset.manifest.json'),
  ...fs
    .readdirSync(path.join(EXAMPLES, 'phaset'))
    .map(dir => path.join(EXAMPLES, 'phaset', dir, 'phaset.manifest.json'))
    .filter(file => fs.existsSync(file)),
];
// Examples written for the mode where the action infers the ids: each id
// must come out as one value (the record grep matches every "id" line).
const WITH_IDS = EXAMPLE_MANIFESTS.filter(
  file => 'id' in JSON.parse(fs.readFileSync(file, 'utf8')),
);
const ENDPOINT = '/api/phaset';
const relative = (file: string) => path.relative(EXAMPLES, file);

describe("Phaset's CI action reading the example manifests", () => {
  it('finds every example', () => {
    expect(EXAMPLE_MANIFESTS.map(relative)).toEqual(
      expect.arrayContaining([
        'phaset.manifest.json',
        'phaset/orders-service/phaset.manifest.json',
      ]),
    );
    expect(WITH_IDS.map(relative)).toContain('phaset.manifest.json');
  });

  it.each(EXAMPLE_MANIFESTS.map(file => [relative(file), file]))(
    '%s: the action reads the Baseline the file names',
    (_, file) => {
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(actionReadsManifest(file).baselineId).toBe(
        json.baseline?.id ?? 'default',
      );
    },
  );

  it.each(WITH_IDS.map(file => [relative(file), file]))(
    '%s: the action infers the ids the file states',
    (_, file) => {
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(actionReadsManifest(file)).toEqual({
        organizationId: json.organizationId,
        recordId: json.id,
        baselineId: 'default',
      });
    },
  );

  it('reproduces the failures of manifests the action cannot read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phaset-action-'));
    const file = path.join(dir, 'phaset.manifest.json');
    try {
      fs.writeFileSync(file, '{\n  "baseline": { "id": "abcd1234" }\n}\n');
      expect(actionReadsManifest(file).baselineId).toBe('abcd1234 }');
      fs.writeFileSync(
        file,
        '{\n  "id": "demorecord",\n  "baseline": {\n    "id": "default"\n  }\n}\n',
      );
      expect(actionReadsManifest(file).recordId).toBe('demorecord\ndefault');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(testDatabases.eachSupportedId())(
  "Phaset's CI action against the backend on %s",
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];

    beforeAll(async () => {
      ({ server } = await startPhasetBackend(databaseId));
    });

    const storedManifest = async () =>
      (await request(server).get('/api/phaset/records/demorecord').expect(200))
        .body.manifest;

    /** The record, standards and deployment steps, as `phaset.sh` runs them. */
    async function runAction(
      file: string,
      ids: { organizationId: string; recordId: string },
    ) {
      const { baselineId } = actionReadsManifest(file);
      const urls = actionUrls({ ...ids, baselineId }, DEMO_TOKEN);
      const statuses: Record<string, number> = {};

      const record = await request(server)
        .post(ENDPOINT + urls.record)
        .set('Content-Type', 'application/json')
        .send(curlDataFromFile(fs.readFileSync(file, 'utf8')));
      statuses.record = record.status;

      const baseline = await request(server).get(ENDPOINT + urls.baseline);
      statuses.baseline = baseline.status;
      expect(Array.isArray(baseline.body.checks)).toBe(true);
      const standards = await request(server)
        .post(ENDPOINT + urls.standards)
        .set('Content-Type', 'application/json')
        .send(curlDataFromFile(JSON.stringify(standardLintOutput(), null, 2)));
      statuses.standards = standards.status;

      for (const sha of [
        'cf1d3df5ea4373e69d8adc3808e9f8ce23b61360',
        EMPTY_REPOSITORY_SHA,
      ]) {
        const deployment = await request(server)
          .post(ENDPOINT + urls.event)
          .set('Content-Type', 'application/json')
          .send(curlDataFromFile(deploymentBody(sha)));
        statuses[`deployment ${sha}`] = deployment.status;
      }
      return statuses;
    }

    const everyCall200 = {
      record: 200,
      baseline: 200,
      standards: 200,
      'deployment cf1d3df5ea4373e69d8adc3808e9f8ce23b61360': 200,
      [`deployment ${EMPTY_REPOSITORY_SHA}`]: 200,
    };

    it.each(EXAMPLE_MANIFESTS.map(file => [relative(file), file]))(
      '%s with org-id and record-id given: every call answers 200',
      async (_, file) => {
        expect(
          await runAction(file, {
            organizationId: 'demoorg',
            recordId: 'demorecord',
          }),
        ).toEqual(everyCall200);
        const { id, organizationId, ...manifest } = JSON.parse(
          fs.readFileSync(file, 'utf8'),
        );
        expect(await storedManifest()).toEqual(manifest);
      },
    );

    it('with ids inferred from the manifest: every call answers 200 and the ids are not stored', async () => {
      const file = path.join(EXAMPLES, 'phaset.manifest.json');
      const read = actionReadsManifest(file);
      expect(read).toEqual({
        organizationId: 'demoorg',
        recordId: 'demorecord',
        baselineId: 'default',
      });
      expect(await runAction(file, read)).toEqual(everyCall200);
      const stored = await storedManifest();
      expect(stored).not.toHaveProperty('id');
      expect(stored).not.toHaveProperty('organizationId');
      expect(stored.spec.name).toBe('Test Component');
    });

    it('refuses top-level ids that differ from the URL, naming the field', async () => {
      const before = await storedManifest();
      const manifest = { spec: { repo: 'r', name: 'n' } };
      const url = `${ENDPOINT}/integration/record/demoorg/demorecord/${DEMO_TOKEN}`;
      const wrongId = await request(server)
        .post(url)
        .send({ ...manifest, organizationId: 'demoorg', id: 'otherrec01' })
        .expect(400);
      expect(wrongId.body.issues).toEqual([
        { path: 'id', message: expect.stringContaining("'demorecord'") },
      ]);
      const wrongOrg = await request(server)
        .post(url)
        .send({ ...manifest, organizationId: 'otherorg', id: 'demorecord' })
        .expect(400);
      expect(wrongOrg.body.issues).toEqual([
        {
          path: 'organizationId',
          message: expect.stringContaining("'demoorg'"),
        },
      ]);
      const notText = await request(server)
        .post(url)
        .send({ ...manifest, id: 42 })
        .expect(400);
      expect(notText.body.issues.map((i: any) => i.path)).toEqual(['id']);
      expect(await storedManifest()).toEqual(before);
    });

    it('refuses a manifest naming a Baseline that does not exist, listing those that do', async () => {
      const before = await storedManifest();
      const response = await request(server)
        .post(`${ENDPOINT}/integration/record/demoorg/demorecord/${DEMO_TOKEN}`)
        .send({ spec: { repo: 'r', name: 'n' }, baseline: { id: 'nosuch12' } })
        .expect(400);
      expect(response.body.error.message).toBe(
        'Invalid request body: baseline.id',
      );
      expect(response.body.issues).toEqual([
        {
          path: 'baseline.id',
          message:
            "No Baseline 'nosuch12'; the Baselines are: default, abcd1234, strict",
        },
      ]);
      expect(await storedManifest()).toEqual(before);
    });

    it.each(['post', 'get'] as const)(
      '%s to an endpoint ending in /integration gets a JSON answer naming /api/phaset',
      async method => {
        const response = await request(server)
          [method](
            `${ENDPOINT}/integration/integration/record/demoorg/demorecord/${DEMO_TOKEN}`,
          )
          .expect(404);
        expect(response.body.error).toEqual({
          name: 'NotFoundError',
          message: DOUBLED_INTEGRATION_MESSAGE,
        });
        expect(response.body.error.message).toMatch(/ending in \/api\/phaset/);
        expect(JSON.stringify(response.body)).not.toContain(DEMO_TOKEN);
      },
    );
  },
);
