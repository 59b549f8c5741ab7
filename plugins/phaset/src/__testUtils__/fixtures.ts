import type { Entity } from '@backstage/catalog-model';
import type {
  DoraMetrics,
  EngineeringMetrics,
  RecordMetrics,
} from '@internal/backstage-plugin-phaset-common';
import type {
  MetricsRollup,
  MetricSeries,
  PhasetBaseline,
  PhasetRecord,
  StandardsReport,
  RecordHealth,
} from '../api';

export const RECORD_ID = 'Orders0001';

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: { 'phaset.dev/record-id': RECORD_ID },
  },
  spec: {
    type: 'service',
    owner: 'group:default/teamshop',
    lifecycle: 'production',
    system: 'system:default/shopsys1',
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/teamshop' },
    { type: 'dependsOn', targetRef: 'component:default/payments01' },
    { type: 'providesApi', targetRef: 'api:default/orders0001-orders-api' },
  ],
};

export const entityWithoutRecord: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plain', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/teamshop',
    lifecycle: 'production',
  },
};

export const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'teamshop', namespace: 'default', title: 'Shop team' },
  spec: { type: 'team', children: [] },
};

export const record: PhasetRecord = {
  id: RECORD_ID,
  organizationId: 'demoorg',
  origin: 'api',
  manifestUpdatedAt: '2026-03-01T10:00:00.000Z',
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  manifest: {
    spec: {
      name: 'Orders service',
      repo: 'https://github.com/example/orders',
      description: 'Takes and tracks orders',
      kind: 'service',
      lifecycleStage: 'production',
      version: '2.3.1',
      group: 'teamshop',
      system: 'shopsys1',
      domain: 'commerce',
      dataSensitivity: 'internal',
      businessCriticality: 'high',
      sourcingModel: 'custom',
      deploymentModel: 'public_cloud',
    },
    contacts: [{ email: 'oncall@example.com', relation: 'on_call' }],
    slo: [
      {
        title: 'Order API availability',
        description: 'Successful responses',
        type: 'availability',
        target: '99.9%',
        period: 30,
      },
    ],
    api: [{ name: 'Orders API', schemaPath: '/openapi.yaml' }],
    dependencies: [
      {
        target: 'Payments01',
        description: 'Charges cards',
        criticality: 'critical',
      },
    ],
    links: [{ url: 'https://grafana.example.com/orders', title: 'Dashboard' }],
    metadata: { costCenter: 'CC-42' },
  },
};

export const baseline: PhasetBaseline = {
  id: 'default',
  name: 'Default Baseline',
  config: {
    checks: [
      { name: 'checkForPresenceReadme', severity: 'error' },
      { name: 'checkForPresenceChangelog', severity: 'warn', path: 'docs' },
    ],
  },
  disabledChecks: ['checkForPresenceCodeowners'],
};

export const standards: StandardsReport = {
  latest: {
    id: 2,
    baselineId: 'default',
    passes: 1,
    warnings: 1,
    failures: 1,
    createdAt: '2026-03-02T10:00:00.000Z',
    results: [
      {
        name: 'checkForPresenceReadme',
        status: 'pass',
        message: 'README found',
      },
      {
        name: 'checkForPresenceChangelog',
        status: 'warn',
        message: 'No CHANGELOG',
        path: 'docs',
      },
      {
        name: 'checkForPresenceLicense',
        status: 'fail',
        message: 'No LICENSE',
      },
    ],
  },
  // Oldest first, as the API answers.
  history: [
    {
      id: 1,
      baselineId: 'default',
      passes: 0,
      warnings: 1,
      failures: 2,
      createdAt: '2026-02-20T10:00:00.000Z',
    },
    {
      id: 2,
      baselineId: 'default',
      passes: 1,
      warnings: 1,
      failures: 1,
      createdAt: '2026-03-02T10:00:00.000Z',
    },
  ],
};

const stats = (median: number, count: number) => ({
  unit: 'seconds' as const,
  count,
  median,
  p75: median * 1.5,
  p90: median * 2,
  mean: median * 1.2,
});

export const dora: DoraMetrics = {
  deploymentFrequency: {
    deployments: 42,
    perDay: 1.4,
    perWeek: 9.8,
    medianDeploymentDaysPerWeek: 5,
    deploymentDaysPerMonth: 22,
    tier: 'elite',
  },
  leadTimeForChanges: { ...stats(12_000, 40), tier: 'elite' },
  changeFailureRate: {
    value: 0.125,
    failedDeployments: 5,
    deployments: 40,
    tier: 'medium',
  },
  reworkRate: { value: 0.075, reworkDeployments: 3, deployments: 40 },
  failedDeploymentRecoveryTime: {
    ...stats(3 * 86_400 + 8640, 5),
    tier: 'medium',
  },
  timeToRestore: { ...stats(5400, 5), tier: 'high', open: [] },
};

export const previousDora: DoraMetrics = {
  ...dora,
  deploymentFrequency: {
    ...dora.deploymentFrequency,
    deployments: 21,
    perWeek: 4.9,
  },
  changeFailureRate: {
    value: 0.1,
    failedDeployments: 2,
    deployments: 20,
    tier: 'high',
  },
};

export const engineering: EngineeringMetrics = {
  changes: 120,
  pullRequestsOpened: 30,
  pullRequestsMerged: 27,
  pullRequestsClosed: 2,
  reviewsApproved: 35,
  reviewsChangesRequested: 6,
  comments: 80,
  additions: 4000,
  deletions: 1500,
  changedFiles: 300,
  mergeTime: { ...stats(20 * 3600, 27), tier: null },
  reviewTime: { ...stats(2 * 3600 + 1200, 29), tier: null },
  reviewSize: {
    unit: 'lines',
    count: 30,
    median: 140,
    p75: 220,
    p90: 400,
    mean: 180,
  },
};

const missingDuration = (reason: string) => ({
  value: null,
  reason,
  count: 0 as const,
  tier: null,
});

export const emptyDora: DoraMetrics = {
  deploymentFrequency: {
    deployments: 0,
    perDay: 0,
    perWeek: 0,
    medianDeploymentDaysPerWeek: 0,
    deploymentDaysPerMonth: 0,
    tier: null,
  },
  leadTimeForChanges: missingDuration('no change was deployed in the window'),
  changeFailureRate: {
    value: null,
    reason: 'no deployments in the window',
    deployments: 0,
    tier: null,
  },
  reworkRate: {
    value: null,
    reason: 'no deployments in the window',
    deployments: 0,
  },
  failedDeploymentRecoveryTime: missingDuration(
    'no incident resolved in the window',
  ),
  timeToRestore: {
    ...missingDuration('no incident resolved in the window'),
    open: [],
  },
};

export const emptyEngineering: EngineeringMetrics = {
  changes: 0,
  pullRequestsOpened: 0,
  pullRequestsMerged: 0,
  pullRequestsClosed: 0,
  reviewsApproved: 0,
  reviewsChangesRequested: 0,
  comments: 0,
  additions: {
    value: null,
    reason: 'no pull request was opened in the window',
  },
  deletions: {
    value: null,
    reason: 'no pull request was opened in the window',
  },
  changedFiles: {
    value: null,
    reason: 'no pull request was opened in the window',
  },
  mergeTime: missingDuration('no pull request merged in the window'),
  reviewTime: missingDuration('no pull request reviewed in the window'),
  reviewSize: {
    value: null,
    reason: 'no pull request opened in the window reports its size',
    count: 0,
  },
};

export function metricsFor(
  from: string,
  to: string,
  d: DoraMetrics,
  e: EngineeringMetrics,
): RecordMetrics {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  return {
    recordId: RECORD_ID,
    window: { from, to, days },
    dora: d,
    engineering: e,
  };
}

export function seriesFor(
  metric: string,
  interval: string,
  from: string,
  to: string,
  value: number | null,
): MetricSeries {
  return {
    recordId: RECORD_ID,
    metric: metric as MetricSeries['metric'],
    interval: interval as MetricSeries['interval'],
    window: { from, to, days: 0 },
    points: [
      {
        from,
        to: new Date(Date.parse(from) + 7 * 86_400_000).toISOString(),
        value,
      },
      {
        from: new Date(Date.parse(from) + 7 * 86_400_000).toISOString(),
        to,
        value,
      },
    ],
  };
}

export const rollup = (from: string, to: string): MetricsRollup => ({
  window: { from, to, days: 30 },
  records: [
    {
      recordId: RECORD_ID,
      organizationId: 'demoorg',
      owner: 'group:default/teamshop',
      lastDeploymentAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      standards: standards.latest,
      dora,
    },
    {
      recordId: 'Basket0001',
      organizationId: 'demoorg',
      owner: 'group:default/teamshop',
      dora: emptyDora,
    },
  ],
  owners: [{ owner: 'group:default/teamshop', records: 2, dora: previousDora }],
});

/** A Health Score as GET /records/{id}/health answers it. */
export const health: RecordHealth = {
  recordId: RECORD_ID,
  score: (100 / 3 + 76 + 75) / 3,
  grade: 'D',
  parts: {
    standards: { score: 100 / 3 },
    completeness: {
      score: 76,
      missing: ['contacts', 'slo'],
      manifest: 80,
      telemetry: {
        score: 60,
        windowDays: 90,
        deployments: 4,
        changes: { total: 10, deployed: 8 },
        incidents: { total: 2, linked: 0 },
      },
    },
    review: {
      score: 75,
      counted: 75,
      stale: false,
      reviewedAt: '2026-11-20T10:00:00.000Z',
    },
  },
  next: [
    'Fix the 1 failing and 1 warning Standards checks.',
    'Fill in contacts, slo in phaset.manifest.json.',
  ],
};
