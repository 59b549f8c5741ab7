import fs from 'fs';
import path from 'path';
import {
  BUSINESS_CRITICALITIES,
  DATA_SENSITIVITIES,
  DEPENDENCY_CRITICALITIES,
  DEPLOYMENT_MODELS,
  LIFECYCLE_STAGES,
  LINK_ICONS,
  RECORD_KINDS,
  SLO_TYPES,
  SOURCING_MODELS,
  isValidRecordId,
  manifestFileSchema,
  recordUpdateSchema,
  splitManifestIds,
} from './manifest';
import { parseOrIssues } from './validation';

// The `example` of RecordUpdate in phaset-integration.openapi.yml.
const contractExample = {
  spec: {
    repo: 'org123/abc123',
    name: 'my-api',
    description: 'My API is awesome!',
    kind: 'api',
    lifecycleStage: 'production',
    version: '1.0.0',
    group: 'abcd1234',
    system: 'efgh5678',
    domain: 'ijkl9012',
    dataSensitivity: 'internal',
    businessCriticality: 'high',
    sourcingModel: 'custom',
    deploymentModel: 'public_cloud',
  },
  contacts: [{ email: 'sam.person@cloud.xyz', relation: 'Service Owner' }],
  dependencies: [
    {
      target: 'abc1234567',
      description: 'Authentication service',
      criticality: 'critical',
    },
  ],
  tags: ['typescript', 'backend'],
  slo: [
    {
      title: 'API Latency',
      description: 'Max latency must be 350ms for the 90th percentile',
      type: 'latency',
      implementation: '(sum:trace.aws.lambda.hits.by_http_status...)',
      target: '350ms',
      period: 30,
    },
  ],
  api: [{ name: 'My API', schemaPath: 'https://api.example.com/schema.yml' }],
  baseline: { id: 'Ssk2zidY' },
  metadata: { customField: 'customValue' },
  links: [
    {
      url: 'https://my-confluence.atlassian.net/wiki/spaces/DEV/pages/123456789/',
      title: 'Confluence documentation',
      icon: 'documentation',
    },
  ],
};

// The "relatively comprehensive example" of seed 001 (Phaset's Integration API
// page). The page shows `<random_id>` placeholders for group/system/domain and
// an obfuscated email; the fixture has real-looking values in their place.
const seedExample = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '__fixtures__', 'seed-001.manifest.json'),
    'utf8',
  ),
);

type Body = Record<string, any>;
const body = (): Body => structuredClone(contractExample);
const str = (length: number) => 'a'.repeat(length);
const times = <T>(n: number, item: T) => Array.from({ length: n }, () => item);

function issuePaths(value: unknown): string[] {
  const outcome = parseOrIssues(recordUpdateSchema, value);
  if (outcome.success) {
    return [];
  }
  return outcome.issues.map(issue => issue.path);
}

describe('recordUpdateSchema', () => {
  it.each([
    ['the contract example', contractExample],
    ['the seed 001 example', seedExample],
    ['a minimal body', { spec: { repo: 'r', name: 'n' } }],
  ])('accepts %s', (_, value) => {
    expect(recordUpdateSchema.parse(value)).toEqual(value);
  });

  it('rejects the seed example as printed, with its <random_id> placeholders', () => {
    const printed = structuredClone(seedExample) as Body;
    printed.spec.group = '<random_id>';
    expect(issuePaths(printed)).toContain('spec.group');
  });

  it.each([
    ['spec.kind', RECORD_KINDS, (b: Body, v: string) => (b.spec.kind = v)],
    [
      'spec.lifecycleStage',
      LIFECYCLE_STAGES,
      (b: Body, v: string) => (b.spec.lifecycleStage = v),
    ],
    [
      'spec.dataSensitivity',
      DATA_SENSITIVITIES,
      (b: Body, v: string) => (b.spec.dataSensitivity = v),
    ],
    [
      'spec.businessCriticality',
      BUSINESS_CRITICALITIES,
      (b: Body, v: string) => (b.spec.businessCriticality = v),
    ],
    [
      'spec.sourcingModel',
      SOURCING_MODELS,
      (b: Body, v: string) => (b.spec.sourcingModel = v),
    ],
    [
      'spec.deploymentModel',
      DEPLOYMENT_MODELS,
      (b: Body, v: string) => (b.spec.deploymentModel = v),
    ],
    [
      'dependencies[0].criticality',
      DEPENDENCY_CRITICALITIES,
      (b: Body, v: string) => (b.dependencies[0].criticality = v),
    ],
    ['slo[0].type', SLO_TYPES, (b: Body, v: string) => (b.slo[0].type = v)],
    [
      'links[0].icon',
      LINK_ICONS,
      (b: Body, v: string) => (b.links[0].icon = v),
    ],
  ] as const)('accepts every value of %s', (_, values, set) => {
    for (const value of values) {
      const b = body();
      set(b, value);
      expect(issuePaths(b)).toEqual([]);
    }
  });

  it.each([
    ['period 1', (b: Body) => (b.slo[0].period = 1)],
    ['period 365', (b: Body) => (b.slo[0].period = 365)],
    ['a fractional period', (b: Body) => (b.slo[0].period = 7.5)],
    ['20 tags of 50 characters', (b: Body) => (b.tags = times(20, str(50)))],
    ['tags with : . _ ~ -', (b: Body) => (b.tags = ['team:core', 'a.b_c~d-e'])],
    [
      '100 dependencies',
      (b: Body) => (b.dependencies = times(100, b.dependencies[0])),
    ],
    [
      '20 links, slo and api entries',
      (b: Body) => {
        b.links = times(20, b.links[0]);
        b.slo = times(20, b.slo[0]);
        b.api = times(20, b.api[0]);
      },
    ],
    ['3 contacts', (b: Body) => (b.contacts = times(3, b.contacts[0]))],
  ])('accepts %s', (_, mutate) => {
    const b = body();
    mutate(b);
    expect(issuePaths(b)).toEqual([]);
  });

  it('keeps extra properties where the contract allows them', () => {
    const b = body();
    b.contacts[0].phone = '+46 000';
    b.dependencies[0].since = '2024';
    b.slo[0].owner = 'sre';
    b.api[0].format = 'openapi';
    b.baseline.version = 2;
    const parsed = recordUpdateSchema.parse(b);
    expect(parsed.contacts?.[0].phone).toBe('+46 000');
    expect(parsed.dependencies?.[0].since).toBe('2024');
    expect(parsed.slo?.[0].owner).toBe('sre');
    expect(parsed.api?.[0].format).toBe('openapi');
    expect(parsed.baseline?.version).toBe(2);
  });

  it.each<[string, (b: Body) => unknown]>([
    // required fields
    ['spec', b => delete b.spec],
    ['spec.repo', b => delete b.spec.repo],
    ['spec.name', b => delete b.spec.name],
    ['baseline.id', b => delete b.baseline.id],
    ['contacts[0].email', b => delete b.contacts[0].email],
    ['dependencies[0].target', b => delete b.dependencies[0].target],
    ['slo[0].title', b => delete b.slo[0].title],
    ['slo[0].description', b => delete b.slo[0].description],
    ['slo[0].type', b => delete b.slo[0].type],
    ['slo[0].target', b => delete b.slo[0].target],
    ['slo[0].period', b => delete b.slo[0].period],
    ['api[0].name', b => delete b.api[0].name],
    ['links[0].url', b => delete b.links[0].url],
    ['links[0].title', b => delete b.links[0].title],
    // unknown keys where additionalProperties is false
    ['colour', b => (b.colour = 'blue')],
    ['spec.colour', b => (b.spec.colour = 'blue')],
    ['links[0].colour', b => (b.links[0].colour = 'blue')],
    // enums
    ['spec.kind', b => (b.spec.kind = 'library')],
    ['spec.lifecycleStage', b => (b.spec.lifecycleStage = 'alpha')],
    ['spec.dataSensitivity', b => (b.spec.dataSensitivity = 'confidential')],
    ['spec.businessCriticality', b => (b.spec.businessCriticality = 'urgent')],
    ['spec.sourcingModel', b => (b.spec.sourcingModel = 'bought')],
    ['spec.deploymentModel', b => (b.spec.deploymentModel = 'mainframe')],
    ['dependencies[0].criticality', b => (b.dependencies[0].criticality = 'x')],
    ['slo[0].type', b => (b.slo[0].type = 'speed')],
    ['links[0].icon', b => (b.links[0].icon = 'star')],
    // string lengths
    ['spec.repo', b => (b.spec.repo = '')],
    ['spec.repo', b => (b.spec.repo = str(501))],
    ['spec.name', b => (b.spec.name = '')],
    ['spec.name', b => (b.spec.name = str(501))],
    ['spec.description', b => (b.spec.description = '')],
    ['spec.description', b => (b.spec.description = str(1501))],
    ['spec.version', b => (b.spec.version = '')],
    ['spec.version', b => (b.spec.version = str(501))],
    [
      'contacts[0].email',
      b => (b.contacts[0].email = `${str(40)}@example.com`),
    ],
    ['contacts[0].relation', b => (b.contacts[0].relation = '')],
    ['contacts[0].relation', b => (b.contacts[0].relation = str(51))],
    ['dependencies[0].target', b => (b.dependencies[0].target = str(9))],
    ['dependencies[0].target', b => (b.dependencies[0].target = str(11))],
    ['dependencies[0].description', b => (b.dependencies[0].description = '')],
    [
      'dependencies[0].description',
      b => (b.dependencies[0].description = str(301)),
    ],
    ['slo[0].title', b => (b.slo[0].title = '')],
    ['slo[0].title', b => (b.slo[0].title = str(501))],
    ['slo[0].description', b => (b.slo[0].description = '')],
    ['slo[0].description', b => (b.slo[0].description = str(1501))],
    ['slo[0].implementation', b => (b.slo[0].implementation = '')],
    ['slo[0].implementation', b => (b.slo[0].implementation = str(1501))],
    ['slo[0].target', b => (b.slo[0].target = '')],
    ['slo[0].target', b => (b.slo[0].target = str(501))],
    ['api[0].name', b => (b.api[0].name = '')],
    ['api[0].name', b => (b.api[0].name = str(501))],
    ['api[0].schemaPath', b => (b.api[0].schemaPath = '')],
    ['api[0].schemaPath', b => (b.api[0].schemaPath = str(501))],
    ['links[0].url', b => (b.links[0].url = '')],
    ['links[0].url', b => (b.links[0].url = str(501))],
    ['links[0].title', b => (b.links[0].title = '')],
    ['links[0].title', b => (b.links[0].title = str(501))],
    ['metadata.customField', b => (b.metadata.customField = '')],
    ['metadata.customField', b => (b.metadata.customField = str(501))],
    ['metadata.customField', b => (b.metadata.customField = 42)],
    ['tags[1]', b => (b.tags[1] = '')],
    ['tags[1]', b => (b.tags[1] = str(51))],
    // patterns and formats
    ['tags[1]', b => (b.tags[1] = 'has space')],
    ['tags[1]', b => (b.tags[1] = 'slash/tag')],
    ['contacts[0].email', b => (b.contacts[0].email = 'not-an-email')],
    ...(['group', 'system', 'domain'] as const).flatMap(
      (field): Array<[string, (b: Body) => unknown]> => [
        [`spec.${field}`, b => (b.spec[field] = 'abc1234')],
        [`spec.${field}`, b => (b.spec[field] = 'abcd12345')],
        [`spec.${field}`, b => (b.spec[field] = 'abcd-123')],
      ],
    ),
    // numbers
    ['slo[0].period', b => (b.slo[0].period = 0)],
    ['slo[0].period', b => (b.slo[0].period = 366)],
    ['slo[0].period', b => (b.slo[0].period = '30')],
    // maxItems
    ['contacts', b => (b.contacts = times(4, b.contacts[0]))],
    ['slo', b => (b.slo = times(21, b.slo[0]))],
    ['api', b => (b.api = times(21, b.api[0]))],
    ['links', b => (b.links = times(21, b.links[0]))],
    ['tags', b => (b.tags = times(21, 'tag'))],
  ])('reports %s', (expectedPath, mutate) => {
    const b = body();
    mutate(b);
    expect(new Set(issuePaths(b))).toEqual(new Set([expectedPath]));
  });

  it('reports every violation of a body at once', () => {
    const b = body();
    b.spec.kind = 'library';
    b.spec.colour = 'blue';
    b.contacts[0].email = 'nope';
    b.tags[1] = 'bad tag';
    b.slo[0].period = 0;
    delete b.links[0].title;
    expect(issuePaths(b)).toEqual(
      expect.arrayContaining([
        'spec.kind',
        'spec.colour',
        'contacts[0].email',
        'tags[1]',
        'slo[0].period',
        'links[0].title',
      ]),
    );
  });

  it.each([[null], ['a string'], [[]]])(
    'rejects a non-object body %p',
    value => {
      expect(issuePaths(value)).toEqual(['(root)']);
    },
  );
});

describe('isValidRecordId', () => {
  it.each([
    ['abc1234567', true],
    ['ABCdef0123', true],
    ['abc123456', false],
    ['abc12345678', false],
    ['abc-234567', false],
    [1234567890, false],
  ])('%p -> %p', (id, valid) => {
    expect(isValidRecordId(id)).toBe(valid);
  });
});

describe('manifestFileSchema', () => {
  const withIds = { organizationId: 'demoorg', id: 'demorecord', ...body() };

  it("accepts the top-level ids Phaset's CI action reads, which RecordUpdate refuses", () => {
    expect(parseOrIssues(manifestFileSchema, withIds).success).toBe(true);
    expect(issuePaths(withIds).sort()).toEqual(['id', 'organizationId']);
  });

  it('splits the ids off the manifest', () => {
    expect(splitManifestIds(manifestFileSchema.parse(withIds))).toEqual({
      ids: { organizationId: 'demoorg', id: 'demorecord' },
      manifest: body(),
    });
    expect(splitManifestIds(manifestFileSchema.parse(body())).ids).toEqual({});
  });

  it.each([
    ['id', { ...body(), id: 7 }],
    ['organizationId', { ...body(), organizationId: '' }],
    ['colour', { ...withIds, colour: 'blue' }],
  ])('still names a bad field: %s', (field, value) => {
    const outcome = parseOrIssues(manifestFileSchema, value);
    expect(outcome.success ? [] : outcome.issues.map(i => i.path)).toEqual([
      field,
    ]);
  });
});
