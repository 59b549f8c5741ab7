import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { phasetPlugin } from '../plugin';

/** Every store test runs on these engines when they are available. */
export const testDatabases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
});

export const DEMO_TOKEN = 'demo-token-from-config';
export const OTHER_TOKEN = 'other-record-token';

export const defaultPhasetConfig: JsonObject = {
  organizations: [
    { id: 'demoorg' },
    { id: 'otherorg', defaultBaseline: 'strict' },
  ],
  records: [
    {
      id: 'demorecord',
      organization: 'demoorg',
      entityRef: 'component:default/demo-service',
      tokens: [{ name: 'ci', token: DEMO_TOKEN }],
    },
    {
      id: 'otherrec01',
      organization: 'demoorg',
      tokens: [{ name: 'ci', token: OTHER_TOKEN }],
    },
    {
      id: 'otherorg01',
      organization: 'otherorg',
      tokens: [{ name: 'ci', token: DEMO_TOKEN }],
    },
  ],
  baselines: [
    // Seed 001's manifest names this Baseline, and pushes must name one that exists.
    { id: 'abcd1234', name: 'Seed 001', checks: [] },
    {
      id: 'default',
      name: 'Default',
      checks: [
        { name: 'checkForPresenceReadme', severity: 'error' },
        { name: 'checkForPresenceChangelog', severity: 'warn' },
        { name: 'checkForPresenceSecurity', severity: 'disabled' },
      ],
      ignorePaths: ['node_modules'],
    },
    {
      id: 'strict',
      name: 'Strict',
      defaultSeverity: 'error',
      basePath: '.',
      checks: [
        { name: 'checkForPresenceLicense', severity: 'error' },
        { name: 'checkForPresenceTests', severity: 'warn', path: 'tests' },
      ],
    },
  ],
};

/**
 * Starts a real Backstage backend with the phaset plugin on `databaseId`;
 * `otherConfig` holds app-config keys beside `phaset` (e.g. `permission`).
 */
export async function startPhasetBackend(
  databaseId: TestDatabaseId,
  phaset: JsonObject = defaultPhasetConfig,
  extraFeatures: BackendFeature[] = [],
  otherConfig: JsonObject = {},
) {
  const knex = await testDatabases.init(databaseId);
  const backend = await startTestBackend({
    features: [
      phasetPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: { ...otherConfig, phaset } }),
      ...extraFeatures,
    ],
  });
  return { ...backend, knex };
}
