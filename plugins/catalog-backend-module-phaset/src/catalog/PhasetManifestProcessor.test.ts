import fs from 'fs/promises';
import os from 'os';
import path from 'path';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ScmIntegrations } from '@backstage/integration';
import {
  FakeUrlReader,
  RunCache,
  collector,
  emptyConfig,
  seedManifest,
  yamlParser,
} from '../__testUtils__/testing';
import { PhasetRecordIndex } from '../records/PhasetRecordIndex';
import { CatalogRecord, PhasetRecordReader } from '../records/recordReader';
import { recordIdForEntity, recordIdForLocation } from '../records/recordIds';
import {
  ANNOTATION_PHASET_MANIFEST,
  PhasetManifestProcessor,
} from './PhasetManifestProcessor';

const REPO = 'https://git.example.com/acme/orders/blob/main';
const MANIFEST_URL = `${REPO}/phaset.manifest.json`;
const manifestLocation = { type: 'url', target: MANIFEST_URL };

function setup(records: CatalogRecord[] = []) {
  const reader = new FakeUrlReader();
  const client = {
    list: async () => records,
  } as unknown as PhasetRecordReader;
  const processor = new PhasetManifestProcessor({
    reader,
    integrations: ScmIntegrations.fromConfig(emptyConfig()),
    index: new PhasetRecordIndex({
      client,
      logger: mockServices.logger.mock(),
    }),
    logger: mockServices.logger.mock(),
    organizationId: 'demoorg',
  });
  return { reader, processor, cache: new RunCache() };
}

async function readLocation(
  processor: PhasetManifestProcessor,
  cache: RunCache,
  location = manifestLocation,
  optional = false,
) {
  const out = collector();
  const handled = await processor.readLocation(
    location,
    optional,
    out.emit,
    yamlParser,
    cache,
  );
  cache.nextRun();
  return { handled, ...out };
}

describe('PhasetManifestProcessor.readLocation', () => {
  it('leaves other files to the built-in readers', async () => {
    const { processor, cache } = setup();
    const result = await readLocation(processor, cache, {
      type: 'url',
      target: `${REPO}/catalog-info.yaml`,
    });
    expect(result.handled).toBe(false);
    expect(result.results).toEqual([]);
  });

  it('maps a manifest URL to the Record entities with a stable Record id', async () => {
    const { reader, processor, cache } = setup();
    reader.files.set(MANIFEST_URL, JSON.stringify(seedManifest()));

    const { handled, entities, errors } = await readLocation(processor, cache);
    const recordId = recordIdForLocation(manifestLocation);
    expect(handled).toBe(true);
    expect(errors()).toEqual([]);
    expect(recordId).toMatch(/^[A-Za-z0-9]{10}$/);
    // Query and fragment do not change the Record (or its webhook URL).
    expect(
      recordIdForLocation({ type: 'url', target: `${MANIFEST_URL}?ref=x#top` }),
    ).toBe(recordId);
    expect(entities().map(e => `${e.kind}:${e.metadata.name}`)).toEqual([
      `Component:${recordId.toLowerCase()}`,
      `API:${recordId.toLowerCase()}-testapi`,
      'System:sys12345',
    ]);
    const [component, api] = entities();
    expect(component.metadata.annotations).toMatchObject({
      'phaset.dev/record-id': recordId,
      'phaset.dev/org-id': 'demoorg',
    });
    expect(component.metadata.title).toBe('Test Component');
    // In a repository the schema path resolves against the manifest.
    expect(api.spec?.definition).toEqual({ $text: '/schema/test.json' });
  });

  it('sends the ETag and re-emits the cached entities when not modified', async () => {
    const { reader, processor, cache } = setup();
    reader.files.set(MANIFEST_URL, JSON.stringify(seedManifest()));
    const first = await readLocation(processor, cache);
    const second = await readLocation(processor, cache);

    const searches = reader.requests.filter(r => r.method === 'search');
    expect(searches).toHaveLength(2);
    expect(searches[0].etag).toBeUndefined();
    expect(searches[1].etag).toMatch(/^".+"$/);
    expect(second.entities()).toEqual(first.entities());
    expect(second.results).toContainEqual({
      type: 'refresh',
      key: `url:${MANIFEST_URL}`,
    });

    // A changed file is read again, not served from the cache.
    const changed = seedManifest();
    changed.spec.name = 'Renamed';
    reader.files.set(MANIFEST_URL, JSON.stringify(changed));
    const third = await readLocation(processor, cache);
    expect(third.entities()[0].metadata.title).toBe('Renamed');
  });

  it('reports a missing manifest as not found unless the location is optional', async () => {
    const { processor, cache } = setup();
    const required = await readLocation(processor, cache);
    expect(required.errors()).toHaveLength(1);
    expect(required.errors()[0].name).toBe('NotFoundError');
    expect(required.entities()).toEqual([]);

    const optional = await readLocation(
      processor,
      cache,
      manifestLocation,
      true,
    );
    expect(optional.results.filter(r => r.type !== 'refresh')).toEqual([]);
  });

  it('reports invalid JSON as an input error', async () => {
    const { reader, processor, cache } = setup();
    reader.files.set(MANIFEST_URL, '{"spec": {');
    const { errors, entities } = await readLocation(processor, cache);
    expect(entities()).toEqual([]);
    expect(errors()).toHaveLength(1);
    expect(errors()[0].name).toBe('InputError');
    expect(errors()[0].message).toContain(
      `Invalid JSON in phaset.manifest.json at url:${MANIFEST_URL}`,
    );
  });

  it('reports an invalid manifest as an input error naming each field', async () => {
    const { reader, processor, cache } = setup();
    const manifest = seedManifest();
    manifest.spec.kind = 'microservice';
    manifest.contacts = [{ email: 'not-an-email' }];
    reader.files.set(MANIFEST_URL, JSON.stringify(manifest));

    const { errors, entities } = await readLocation(processor, cache);
    expect(entities()).toEqual([]);
    expect(errors()).toHaveLength(1);
    expect(errors()[0].name).toBe('InputError');
    expect(errors()[0].message).toMatch(/spec\.kind: /);
    expect(errors()[0].message).toMatch(/contacts\[0\]\.email: /);

    // Errors are not cached: the fixed file is read in full next time.
    reader.files.set(MANIFEST_URL, JSON.stringify(seedManifest()));
    const fixed = await readLocation(processor, cache);
    expect(fixed.errors()).toEqual([]);
    expect(fixed.entities()).toHaveLength(3);
  });

  it('yields nothing of its own when the catalog file next to it merges it', async () => {
    const { reader, processor, cache } = setup();
    reader.files.set(MANIFEST_URL, JSON.stringify(seedManifest()));
    reader.files.set(
      `${REPO}/catalog-info.yaml`,
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  annotations:
    ${ANNOTATION_PHASET_MANIFEST}: ./phaset.manifest.json
spec: { type: service, lifecycle: production, owner: team-a }
`,
    );
    const { entities, errors } = await readLocation(processor, cache);
    expect(errors()).toEqual([]);
    expect(entities()).toEqual([]);
  });

  it('reads file locations (globs included) and inlines relative schemas', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'phaset-'));
    try {
      for (const name of ['one', 'two']) {
        await fs.mkdir(path.join(dir, name, 'schema'), { recursive: true });
        await fs.writeFile(
          path.join(dir, name, 'phaset.manifest.json'),
          JSON.stringify(seedManifest()),
        );
        await fs.writeFile(
          path.join(dir, name, 'schema', 'test.json'),
          `{"openapi": "3.0.0", "x-name": "${name}"}`,
        );
      }
      const { processor, cache } = setup();
      const { entities, errors } = await readLocation(processor, cache, {
        type: 'file',
        target: path.join(dir, '*', 'phaset.manifest.json'),
      });
      expect(errors()).toEqual([]);
      const apis = entities().filter(e => e.kind === 'API');
      expect(apis.map(a => a.spec?.definition)).toEqual([
        '{"openapi": "3.0.0", "x-name": "one"}',
        '{"openapi": "3.0.0", "x-name": "two"}',
      ]);
      // Each file is its own Record.
      const ids = entities()
        .filter(e => e.kind === 'Component')
        .map(e => e.metadata.annotations?.['phaset.dev/record-id']);
      expect(new Set(ids).size).toBe(2);

      // A schema outside the manifest's directory is refused, naming the field.
      const escaping = seedManifest();
      escaping.api[0].schemaPath = '../../etc/passwd';
      await fs.writeFile(
        path.join(dir, 'one', 'phaset.manifest.json'),
        JSON.stringify(escaping),
      );
      const refused = await readLocation(processor, cache, {
        type: 'file',
        target: path.join(dir, 'one', 'phaset.manifest.json'),
      });
      expect(refused.entities()).toEqual([]);
      expect(refused.errors()[0].message).toContain('api[0].schemaPath');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('PhasetManifestProcessor.preProcessEntity', () => {
  const catalogInfo = (annotations: Record<string, string> = {}): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders',
      title: 'Orders (catalog-info)',
      annotations: {
        [ANNOTATION_PHASET_MANIFEST]: './phaset.manifest.json',
        ...annotations,
      },
      tags: ['java'],
    },
    spec: { type: 'website', lifecycle: 'production', owner: 'team-a' },
  });
  const entityLocation = { type: 'url', target: `${REPO}/catalog-info.yaml` };

  async function preProcess(
    processor: PhasetManifestProcessor,
    cache: RunCache,
    entity: Entity,
  ) {
    const out = collector();
    const result = await processor.preProcessEntity(
      entity,
      entityLocation,
      out.emit,
      entityLocation,
      cache,
    );
    cache.nextRun();
    return { entity: result, ...out };
  }

  it('merges the annotated manifest into the entity, which wins conflicts', async () => {
    const { reader, processor, cache } = setup();
    reader.files.set(MANIFEST_URL, JSON.stringify(seedManifest()));
    const { entity, results, errors } = await preProcess(
      processor,
      cache,
      catalogInfo(),
    );

    expect(errors()).toEqual([]);
    const recordId = recordIdForEntity(catalogInfo());
    expect(entity.metadata.name).toBe('orders');
    expect(entity.metadata.title).toBe('Orders (catalog-info)');
    expect(entity.spec).toMatchObject({
      type: 'website',
      owner: 'team-a',
      lifecycle: 'production',
      system: 'system:default/sys12345',
      dependsOn: ['component:default/abcde12345'],
      providesApis: [`api:default/${recordId.toLowerCase()}-testapi`],
    });
    expect(entity.metadata.description).toBe('A test component');
    expect(entity.metadata.tags).toEqual(['java', 'test', 'example']);
    expect(entity.metadata.annotations).toMatchObject({
      'phaset.dev/record-id': recordId,
      'phaset.dev/version': '1.0.0',
    });
    // The APIs and System are emitted as children at the manifest's location.
    expect(
      results.flatMap(r =>
        r.type === 'entity' ? [[r.entity.kind, r.location.target]] : [],
      ),
    ).toEqual([
      ['API', MANIFEST_URL],
      ['System', MANIFEST_URL],
    ]);
  });

  it('takes the Record id from the entity annotation', async () => {
    const { reader, processor, cache } = setup();
    reader.files.set(MANIFEST_URL, JSON.stringify(seedManifest()));
    const { entity } = await preProcess(
      processor,
      cache,
      catalogInfo({ 'phaset.dev/record-id': 'Ord3rs0001' }),
    );
    expect(entity.metadata.annotations?.['phaset.dev/record-id']).toBe(
      'Ord3rs0001',
    );
    expect(entity.spec?.providesApis).toEqual([
      'api:default/ord3rs0001-testapi',
    ]);
  });

  it('uses the ETag for the annotated manifest and reports an invalid one on the entity', async () => {
    const { reader, processor, cache } = setup();
    reader.files.set(MANIFEST_URL, JSON.stringify(seedManifest()));
    await preProcess(processor, cache, catalogInfo());
    const again = await preProcess(processor, cache, catalogInfo());
    expect(reader.requests.map(r => r.etag !== undefined)).toEqual([
      false,
      true,
    ]);
    expect(again.entity.metadata.annotations?.['phaset.dev/version']).toBe(
      '1.0.0',
    );

    const invalid = seedManifest();
    invalid.spec.lifecycleStage = 'alpha';
    reader.files.set(MANIFEST_URL, JSON.stringify(invalid));
    const failed = await preProcess(processor, cache, catalogInfo());
    expect(failed.errors()[0].name).toBe('InputError');
    expect(failed.errors()[0].message).toContain('spec.lifecycleStage');
    expect(failed.entity).toEqual(catalogInfo());
  });

  it('merges the manifest of a Record pushed from CI that links to the entity', async () => {
    const pushed = seedManifest();
    pushed.spec.version = '9.9.9';
    const { processor, cache } = setup([
      {
        id: 'Linked0001',
        organizationId: 'demoorg',
        entityRef: 'component:default/orders',
        manifest: pushed,
      },
    ]);
    // The pushed manifest takes precedence, so the annotated file is not read.
    const { entity, entities, results } = await preProcess(
      processor,
      cache,
      catalogInfo(),
    );
    expect(entity.metadata.annotations).toMatchObject({
      'phaset.dev/record-id': 'Linked0001',
      'phaset.dev/version': '9.9.9',
    });
    expect(entity.metadata.title).toBe('Orders (catalog-info)');
    // A pushed manifest has no location for its relative schema path.
    const api = entities().find(e => e.kind === 'API')!;
    expect(api.spec?.definition).toMatch(/not an absolute URL/);
    expect(results).toContainEqual({
      type: 'refresh',
      key: 'phaset:entity:component:default/orders',
    });
  });

  it('names a linked Record without a manifest, keeping the entity own annotations', async () => {
    const { processor, cache } = setup([
      {
        id: 'Linked0002',
        organizationId: 'demoorg',
        entityRef: 'component:default/plain',
      },
    ]);
    const plain: Entity = { ...catalogInfo(), metadata: { name: 'plain' } };
    const { entity } = await preProcess(processor, cache, plain);
    expect(entity.metadata.annotations).toEqual({
      'phaset.dev/record-id': 'Linked0002',
      'phaset.dev/org-id': 'demoorg',
    });
    const annotated: Entity = {
      ...plain,
      metadata: {
        name: 'plain',
        annotations: { 'phaset.dev/record-id': 'Own0000001' },
      },
    };
    const kept = await preProcess(processor, cache, annotated);
    expect(kept.entity.metadata.annotations).toMatchObject({
      'phaset.dev/record-id': 'Own0000001',
    });
  });

  it('leaves other entities alone', async () => {
    const { processor, cache } = setup();
    const plain: Entity = { ...catalogInfo(), metadata: { name: 'plain' } };
    const { entity, errors } = await preProcess(processor, cache, plain);
    expect(entity).toEqual(plain);
    expect(errors()).toEqual([]);
  });
});
