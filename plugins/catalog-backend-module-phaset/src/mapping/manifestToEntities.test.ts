import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  parseEntityRef,
  systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import {
  BUSINESS_CRITICALITIES,
  DATA_SENSITIVITIES,
  DEPENDENCY_CRITICALITIES,
  DEPLOYMENT_MODELS,
  LIFECYCLE_STAGES,
  LINK_ICONS,
  RECORD_KINDS,
  RecordUpdate,
  SLO_TYPES,
  SOURCING_MODELS,
  recordUpdateSchema,
} from '@internal/backstage-plugin-phaset-common';
import contractExample from './__fixtures__/contract-example.manifest.json';
import seedExample from './__fixtures__/seed-example.manifest.json';
import {
  apiTypeFor,
  lifecycleFor,
  manifestToEntities,
} from './manifestToEntities';

const RECORD_ID = 'Rec0000001';
const ORG_ID = 'org-123';
const options = { recordId: RECORD_ID, organizationId: ORG_ID };

// The order the catalog applies its default policies in.
const policies = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);
const kindValidators: Record<string, KindValidator> = {
  Component: componentEntityV1alpha1Validator,
  API: apiEntityV1alpha1Validator,
  System: systemEntityV1alpha1Validator,
};

// What the catalog's placeholder processor does before validation.
function resolvePlaceholders(entity: Entity): Entity {
  const definition = entity.spec?.definition;
  if (definition && typeof definition === 'object') {
    expect(Object.keys(definition)).toEqual(['$text']);
    expect((definition as { $text: string }).$text).not.toBe('');
    return { ...entity, spec: { ...entity.spec, definition: 'resolved' } };
  }
  return entity;
}

function refsOf(entity: Entity): string[] {
  const spec = entity.spec ?? {};
  return [spec.owner, spec.system, spec.domain]
    .concat((spec.providesApis as string[]) ?? [])
    .concat((spec.dependsOn as string[]) ?? [])
    .filter((ref): ref is string => typeof ref === 'string');
}

async function expectValid(entities: Entity[]) {
  for (const entity of entities) {
    const resolved = resolvePlaceholders(entity);
    await expect(policies.enforce(resolved)).resolves.toBeDefined();
    await expect(kindValidators[entity.kind].check(resolved)).resolves.toBe(
      true,
    );
    for (const ref of refsOf(entity)) {
      expect(() => parseEntityRef(ref)).not.toThrow();
    }
    for (const value of Object.values(entity.metadata.annotations ?? {})) {
      expect(typeof value).toBe('string');
    }
  }
  const refs = entities.map(
    e => `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`,
  );
  expect(new Set(refs).size).toBe(refs.length);
}

/** Parses with the real contract schema so every corpus entry is a legal manifest. */
function manifest(value: unknown): RecordUpdate {
  return recordUpdateSchema.parse(value);
}

const chars = (n: number, c = 'x') => c.repeat(n);
const email = (n: number) =>
  `${chars(n - '@example.com'.length, 'a')}@example.com`;

const maximal = manifest({
  spec: {
    repo: chars(500, 'r'),
    name: chars(500, 'N'),
    description: chars(1500, 'd'),
    kind: 'service',
    lifecycleStage: 'retired',
    version: chars(500, '1'),
    group: 'ABCDefgh',
    system: 'SYSTem01',
    domain: 'DOMain01',
    dataSensitivity: 'secret',
    businessCriticality: 'auxiliary',
    sourcingModel: 'modified_cots',
    deploymentModel: 'multi_cloud',
  },
  api: Array.from({ length: 20 }, (_, i) => ({
    name: i < 3 ? chars(500, 'A') : `API ${i % 5}`,
    schemaPath: `https://example.com/${chars(470, 's')}/${i}.yaml`,
  })),
  baseline: { id: 'Ssk2zidY' },
  contacts: [
    { email: email(50), relation: chars(50, 'R') },
    { email: email(50) },
    { email: 'b@example.com', relation: 'Owner' },
  ],
  dependencies: Array.from({ length: 30 }, (_, i) => ({
    target: `dep${String(i).padStart(7, '0')}`,
    description: chars(300, 'd'),
    criticality: DEPENDENCY_CRITICALITIES[i % DEPENDENCY_CRITICALITIES.length],
  })),
  links: Array.from({ length: 20 }, (_, i) => ({
    url: `https://example.com/${chars(478, 'u')}${String(i).padStart(2, '0')}`,
    title: chars(500, 'T'),
    icon: LINK_ICONS[i % LINK_ICONS.length],
  })),
  metadata: Object.fromEntries(
    Array.from({ length: 30 }, (_, i) => [`key${i}`, chars(500, 'v')]),
  ),
  slo: Array.from({ length: 20 }, (_, i) => ({
    title: chars(500, 't'),
    description: chars(1500, 'd'),
    type: SLO_TYPES[i % SLO_TYPES.length],
    implementation: chars(1500, 'i'),
    target: chars(500, 'g'),
    period: i === 0 ? 1 : 365,
  })),
  tags: Array.from(
    { length: 20 },
    (_, i) => `${String(i).padStart(2, '0')}${chars(48, 'T')}`,
  ),
});

const weird = manifest({
  spec: { repo: 'x', name: '???' },
  tags: [
    'Lang:TypeScript',
    'Lang:Go',
    'a.b~c',
    '___',
    '~',
    'a:b:c',
    ':x',
    'x:',
    'TypeScript',
    'typescript',
    'env:~prod',
  ],
  api: [
    { name: '!!!' },
    { name: '日本語' },
    { name: 'Same' },
    { name: 'same' },
    { name: 'api 5' },
  ],
  links: [
    { url: 'not a url', title: 'Relative' },
    // eslint-disable-next-line no-script-url -- a manifest may carry one; it must not become a link
    { url: 'javascript:alert(1)', title: 'Script' },
    { url: 'mailto:team@example.com', title: ' ' },
  ],
  metadata: {
    'with space': 'a',
    ä: 'b',
    '': 'c',
    '-lead': 'd',
    'trail-': 'e',
    [chars(54, 'k')]: 'fits',
    [chars(55, 'k')]: 'too long',
    'dotted.key_ok-1': 'f',
  },
  dependencies: [
    { target: 'Rec0000001' },
    { target: 'abc-123_.x' },
    { target: 'abc1234567' },
    { target: 'ABC1234567' },
  ],
  baseline: { id: 'b1', note: 'extra' },
});

const corpus: Array<[string, RecordUpdate]> = [
  ['contract example', manifest(contractExample)],
  ['seed example', manifest(seedExample)],
  ['minimal', manifest({ spec: { repo: 'r', name: 'n' } })],
  ['maximal', maximal],
  ['weird', weird],
  ...RECORD_KINDS.map(
    kind =>
      [`kind ${kind}`, manifest({ spec: { repo: 'r', name: 'n', kind } })] as [
        string,
        RecordUpdate,
      ],
  ),
  ...LIFECYCLE_STAGES.map(
    lifecycleStage =>
      [
        `stage ${lifecycleStage}`,
        manifest({ spec: { repo: 'r', name: 'n', lifecycleStage } }),
      ] as [string, RecordUpdate],
  ),
  ...DATA_SENSITIVITIES.map(
    dataSensitivity =>
      [
        `sensitivity ${dataSensitivity}`,
        manifest({ spec: { repo: 'r', name: 'n', dataSensitivity } }),
      ] as [string, RecordUpdate],
  ),
  ...BUSINESS_CRITICALITIES.map(
    businessCriticality =>
      [
        `criticality ${businessCriticality}`,
        manifest({ spec: { repo: 'r', name: 'n', businessCriticality } }),
      ] as [string, RecordUpdate],
  ),
  ...SOURCING_MODELS.map(
    sourcingModel =>
      [
        `sourcing ${sourcingModel}`,
        manifest({ spec: { repo: 'r', name: 'n', sourcingModel } }),
      ] as [string, RecordUpdate],
  ),
  ...DEPLOYMENT_MODELS.map(
    deploymentModel =>
      [
        `deployment ${deploymentModel}`,
        manifest({ spec: { repo: 'r', name: 'n', deploymentModel } }),
      ] as [string, RecordUpdate],
  ),
  [
    'system without domain',
    manifest({ spec: { repo: 'r', name: 'n', system: 'abcdEFGH' } }),
  ],
  [
    'domain without system',
    manifest({ spec: { repo: 'r', name: 'n', domain: 'abcdEFGH' } }),
  ],
];

describe('manifestToEntities', () => {
  it.each(corpus)('produces valid entities for the %s', async (_, input) => {
    const entities = manifestToEntities(input, options);
    expect(entities[0].kind).toBe('Component');
    await expectValid(entities);
    await expectValid(
      manifestToEntities(input, {
        ...options,
        namespace: 'phaset',
        entityRef: 'component:team-a/existing_component.v2',
      }),
    );
  });

  it('uses validators that do reject invalid entities', async () => {
    const [component, api] = manifestToEntities(
      manifest(contractExample),
      options,
    );
    await expect(
      policies.enforce({
        ...component,
        metadata: { ...component.metadata, tags: ['Bad Tag'] },
      }),
    ).rejects.toThrow(/tags/);
    // An unresolved $text placeholder is not a valid definition.
    await expect(apiEntityV1alpha1Validator.check(api)).rejects.toThrow(
      /definition/,
    );
  });

  it.each(corpus)('is deterministic for the %s', (_, input) => {
    const copy = JSON.parse(JSON.stringify(input));
    expect(manifestToEntities(copy, options)).toEqual(
      manifestToEntities(input, options),
    );
    expect(copy).toEqual(input);
  });

  it('maps the contract example field by field', () => {
    const [component, api, system, ...rest] = manifestToEntities(
      manifest(contractExample),
      options,
    );
    expect(rest).toEqual([]);
    expect(component).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'rec0000001',
        namespace: 'default',
        title: 'my-api',
        description: 'My API is awesome!',
        tags: ['typescript', 'backend'],
        links: [
          {
            url: 'https://my-confluence.atlassian.net/wiki/spaces/DEV/pages/123456789/',
            title: 'Confluence documentation',
            icon: 'docs',
            type: 'documentation',
          },
        ],
        annotations: {
          'phaset.dev/record-id': RECORD_ID,
          'phaset.dev/org-id': ORG_ID,
          'phaset.dev/repo': 'org123/abc123',
          'phaset.dev/version': '1.0.0',
          'phaset.dev/lifecycle-stage': 'production',
          'phaset.dev/group-id': 'abcd1234',
          'phaset.dev/system-id': 'efgh5678',
          'phaset.dev/domain-id': 'ijkl9012',
          'phaset.dev/data-sensitivity': 'internal',
          'phaset.dev/business-criticality': 'high',
          'phaset.dev/sourcing-model': 'custom',
          'phaset.dev/deployment-model': 'public_cloud',
          'phaset.dev/baseline-id': 'Ssk2zidY',
          'phaset.dev/contacts': JSON.stringify(contractExample.contacts),
          'phaset.dev/slo': JSON.stringify(contractExample.slo),
          'phaset.dev/dependencies': JSON.stringify(
            contractExample.dependencies,
          ),
          'phaset.dev/metadata.customField': 'customValue',
        },
      },
      spec: {
        type: 'api',
        lifecycle: 'production',
        owner: 'group:default/abcd1234',
        system: 'system:default/efgh5678',
        providesApis: ['api:default/rec0000001-my-api'],
        dependsOn: ['component:default/abc1234567'],
      },
    });
    expect(api).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name: 'rec0000001-my-api',
        namespace: 'default',
        title: 'My API',
        annotations: {
          'phaset.dev/record-id': RECORD_ID,
          'phaset.dev/org-id': ORG_ID,
        },
      },
      spec: {
        type: 'openapi',
        lifecycle: 'production',
        owner: 'group:default/abcd1234',
        system: 'system:default/efgh5678',
        definition: { $text: 'https://api.example.com/schema.yml' },
      },
    });
    expect(system).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: 'efgh5678',
        namespace: 'default',
        annotations: {
          'phaset.dev/org-id': ORG_ID,
          'phaset.dev/system-id': 'efgh5678',
          'phaset.dev/domain-id': 'ijkl9012',
        },
      },
      spec: {
        owner: 'group:default/unknown',
        domain: 'domain:default/ijkl9012',
      },
    });
  });

  it('maps the seed example, keeping its relative schemaPath as a location-relative $text', () => {
    const [component, api] = manifestToEntities(manifest(seedExample), options);
    expect(component.spec).toEqual({
      type: 'unknown',
      lifecycle: 'experimental',
      owner: 'group:default/unknown',
      providesApis: ['api:default/rec0000001-test-api'],
      dependsOn: ['component:default/xyz9876543'],
    });
    expect(component.metadata.title).toBe('Test Component');
    expect(component.metadata.links).toEqual([
      { url: 'https://example.com', title: 'Example' },
    ]);
    expect(api.spec).toMatchObject({
      type: 'openapi',
      definition: { $text: '/schema/test.json' },
    });
  });

  it('fills the required spec fields when the manifest is minimal', () => {
    const entities = manifestToEntities(
      manifest({ spec: { repo: 'r', name: 'n' } }),
      { ...options, defaultOwner: 'group:default/platform' },
    );
    expect(entities).toHaveLength(1);
    expect(entities[0].spec).toEqual({
      type: 'unknown',
      lifecycle: 'unknown',
      owner: 'group:default/platform',
    });
    expect(entities[0].metadata).toEqual({
      name: 'rec0000001',
      namespace: 'default',
      title: 'n',
      annotations: {
        'phaset.dev/record-id': RECORD_ID,
        'phaset.dev/org-id': ORG_ID,
        'phaset.dev/repo': 'r',
      },
    });
  });

  it.each(RECORD_KINDS)('uses kind %s as the Component type', kind => {
    const [entity] = manifestToEntities(
      manifest({ spec: { repo: 'r', name: 'n', kind } }),
      options,
    );
    expect(entity.kind).toBe('Component');
    expect(entity.spec?.type).toBe(kind);
  });

  it.each([
    ...DATA_SENSITIVITIES.map(v => ['dataSensitivity', 'data-sensitivity', v]),
    ...BUSINESS_CRITICALITIES.map(v => [
      'businessCriticality',
      'business-criticality',
      v,
    ]),
    ...SOURCING_MODELS.map(v => ['sourcingModel', 'sourcing-model', v]),
    ...DEPLOYMENT_MODELS.map(v => ['deploymentModel', 'deployment-model', v]),
    ...LIFECYCLE_STAGES.map(v => ['lifecycleStage', 'lifecycle-stage', v]),
  ])('keeps spec.%s in phaset.dev/%s (%s)', (field, annotation, value) => {
    const [entity] = manifestToEntities(
      manifest({ spec: { repo: 'r', name: 'n', [field]: value } }),
      options,
    );
    expect(entity.metadata.annotations?.[`phaset.dev/${annotation}`]).toBe(
      value,
    );
  });

  it('keeps the same name when the Record is renamed', () => {
    const names = ['Payments', 'Payments v2', '???'].map(
      name =>
        manifestToEntities(manifest({ spec: { repo: 'r', name } }), options)[0]
          .metadata.name,
    );
    expect(new Set(names)).toEqual(new Set(['rec0000001']));
  });

  it('enriches an existing Component', () => {
    const [component, api] = manifestToEntities(manifest(contractExample), {
      ...options,
      entityRef: 'team-a/payments',
    });
    expect(component.metadata).toMatchObject({
      name: 'payments',
      namespace: 'team-a',
    });
    // Other entities follow options.namespace, not the enriched entity.
    expect(api.metadata.namespace).toBe('default');
    expect(component.spec?.providesApis).toEqual([
      `api:default/${api.metadata.name}`,
    ]);
  });

  it('refuses to enrich anything but a Component', () => {
    expect(() =>
      manifestToEntities(manifest(contractExample), {
        ...options,
        entityRef: 'api:default/payments',
      }),
    ).toThrow(/only enrich a Component/);
  });

  it('rejects an invalid record id or an empty organization id', () => {
    const input = manifest(contractExample);
    expect(() =>
      manifestToEntities(input, { ...options, recordId: 'short' }),
    ).toThrow(/Invalid Phaset Record ID/);
    expect(() =>
      manifestToEntities(input, { ...options, organizationId: ' ' }),
    ).toThrow(/organization ID/);
  });

  it('resolves dependencies through the callback, then by derived name', () => {
    const [component] = manifestToEntities(weird, {
      ...options,
      namespace: 'phaset',
      resolveDependency: id =>
        id === 'abc1234567' ? 'component:other/known' : undefined,
    });
    expect(component.spec?.dependsOn).toEqual([
      'component:phaset/rec0000001',
      'component:other/known',
      'component:phaset/abc1234567',
    ]);
    // The target that can never be a Record id is still recorded.
    expect(
      JSON.parse(component.metadata.annotations!['phaset.dev/dependencies']),
    ).toEqual(weird.dependencies);
  });

  it('maps weird tags to tags, labels and a lossless annotation', () => {
    const [component] = manifestToEntities(weird, options);
    expect(component.metadata.labels).toEqual({
      'phaset.dev/Lang': 'TypeScript',
    });
    expect(component.metadata.tags).toEqual([
      'lang:go',
      'a-b-c',
      'a:b:c',
      ':x',
      'x:',
      'typescript',
      'env:-prod',
    ]);
    expect(
      JSON.parse(component.metadata.annotations!['phaset.dev/tags']),
    ).toEqual(weird.tags);
  });

  it('names APIs uniquely, falling back to their position', () => {
    const apis = manifestToEntities(weird, options).filter(
      e => e.kind === 'API',
    );
    expect(apis.map(a => a.metadata.name)).toEqual([
      'rec0000001-api-1',
      'rec0000001-api-2',
      'rec0000001-same',
      'rec0000001-api-4',
      'rec0000001-api-5',
    ]);
    expect(apis.map(a => a.metadata.title)).toEqual(
      weird.api!.map(a => a.name),
    );
    expect(apis[0].spec).toMatchObject({
      type: 'unknown',
      definition: expect.stringContaining('No schemaPath'),
    });
  });

  it('truncates API names to 63 characters and keeps them unique at the limit', () => {
    const apis = manifestToEntities(maximal, options).filter(
      e => e.kind === 'API',
    );
    expect(apis).toHaveLength(20);
    const names = apis.map(a => a.metadata.name);
    expect(new Set(names).size).toBe(20);
    expect(Math.max(...names.map(n => n.length))).toBe(63);
  });

  it('keeps links Backstage cannot hold in phaset.dev/links', () => {
    const [component] = manifestToEntities(weird, options);
    expect(component.metadata.links).toEqual([
      { url: 'mailto:team@example.com' },
    ]);
    expect(
      JSON.parse(component.metadata.annotations!['phaset.dev/links']),
    ).toEqual(weird.links!.slice(0, 2));
  });

  it('maps every link icon', () => {
    const [component] = manifestToEntities(
      manifest({
        spec: { repo: 'r', name: 'n' },
        links: LINK_ICONS.map(icon => ({
          url: `https://example.com/${icon}`,
          title: icon,
          icon,
        })),
      }),
      options,
    );
    expect(component.metadata.links!.map(l => [l.type, l.icon])).toEqual([
      ['web', 'web'],
      ['api', 'kind:api'],
      ['service', 'kind:component'],
      ['documentation', 'docs'],
      ['task', 'task'],
      ['dashboard', 'dashboard'],
      ['other', undefined],
    ]);
  });

  it('encodes metadata whose key cannot be an annotation key', () => {
    const { annotations } = manifestToEntities(weird, options)[0].metadata;
    expect(annotations).toMatchObject({
      [`phaset.dev/metadata.${chars(54, 'k')}`]: 'fits',
      'phaset.dev/metadata.dotted.key_ok-1': 'f',
      'phaset.dev/metadata.-lead': 'd',
    });
    expect(JSON.parse(annotations!['phaset.dev/metadata'])).toEqual({
      'with space': 'a',
      ä: 'b',
      '': 'c',
      'trail-': 'e',
      [chars(55, 'k')]: 'too long',
    });
  });

  it('keeps properties beyond the contract on baseline and API items', () => {
    const entities = manifestToEntities(
      manifest({
        ...weird,
        api: [{ name: 'X', schemaPath: 'x.proto', owner: 'someone' }],
      }),
      options,
    );
    expect(entities[0].metadata.annotations).toMatchObject({
      'phaset.dev/baseline-id': 'b1',
      'phaset.dev/baseline': JSON.stringify({ id: 'b1', note: 'extra' }),
    });
    expect(entities[1].metadata.annotations?.['phaset.dev/api']).toBe(
      JSON.stringify({ name: 'X', schemaPath: 'x.proto', owner: 'someone' }),
    );
    expect(entities[1].spec?.type).toBe('grpc');
  });

  it('emits a System only when both system and domain are given', () => {
    const kinds = (spec: object) =>
      manifestToEntities(
        manifest({ spec: { repo: 'r', name: 'n', ...spec } }),
        options,
      ).map(e => e.kind);
    expect(kinds({ system: 'abcdEFGH' })).toEqual(['Component']);
    expect(kinds({ domain: 'abcdEFGH' })).toEqual(['Component']);
    expect(kinds({ system: 'abcdEFGH', domain: 'ijklMNOP' })).toEqual([
      'Component',
      'System',
    ]);
  });

  it('yields the same System from every Record naming it', () => {
    const input = manifest(contractExample);
    const systemOf = (recordId: string) =>
      manifestToEntities(input, { ...options, recordId }).find(
        e => e.kind === 'System',
      );
    expect(systemOf('aaaaaaaaaa')).toEqual(systemOf('bbbbbbbbbb'));
  });
});

describe('lifecycleFor', () => {
  it.each([
    ['concept', 'experimental'],
    ['planning', 'experimental'],
    ['development', 'experimental'],
    ['testing', 'experimental'],
    ['production', 'production'],
    ['maintenance', 'production'],
    ['deprecated', 'deprecated'],
    ['retired', 'deprecated'],
    [undefined, 'unknown'],
  ] as const)('maps %s to %s', (stage, lifecycle) => {
    expect(lifecycleFor(stage)).toBe(lifecycle);
  });

  it('covers every stage', () => {
    for (const stage of LIFECYCLE_STAGES) {
      expect(['experimental', 'production', 'deprecated']).toContain(
        lifecycleFor(stage),
      );
    }
  });
});

describe('apiTypeFor', () => {
  it.each([
    ['https://x/schema.yml', 'openapi'],
    ['https://x/openapi.JSON?v=1', 'openapi'],
    ['/schema/test.json', 'openapi'],
    ['https://x/asyncapi.yaml', 'asyncapi'],
    ['https://x/schema.graphql', 'graphql'],
    ['https://x/a.gql#frag', 'graphql'],
    ['https://x/svc.proto', 'grpc'],
    ['https://x/wsdl', 'unknown'],
    [undefined, 'unknown'],
  ])('maps %s to %s', (path, type) => {
    expect(apiTypeFor(path)).toBe(type);
  });
});
