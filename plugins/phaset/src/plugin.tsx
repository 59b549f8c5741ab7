import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { PhasetClient, phasetApiRef } from './api';
import { TAB_PATHS } from './components/tabs';
import { isGroupEntity, isPhasetAvailable } from './isPhasetAvailable';

/** The typed client of the phaset backend. */
export const phasetApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: phasetApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PhasetClient({ discoveryApi, fetchApi }),
    }),
});

/** "Record" tab: the entity's manifest. */
export const phasetRecordContent = EntityContentBlueprint.make({
  name: 'record',
  params: {
    path: TAB_PATHS.record,
    title: 'Record',
    filter: isPhasetAvailable,
    loader: () =>
      import('./components/RecordContent').then(m => <m.RecordContent />),
  },
});

/** "Standards" tab: Baseline, latest StandardLint result, history. */
export const phasetStandardsContent = EntityContentBlueprint.make({
  name: 'standards',
  params: {
    path: TAB_PATHS.standards,
    title: 'Standards',
    filter: isPhasetAvailable,
    loader: () =>
      import('./components/StandardsContent').then(m => <m.StandardsContent />),
  },
});

/** "Metrics" tab: DORA and engineering metrics over a chosen window. */
export const phasetMetricsContent = EntityContentBlueprint.make({
  name: 'metrics',
  params: {
    path: TAB_PATHS.metrics,
    title: 'Metrics',
    filter: isPhasetAvailable,
    loader: () =>
      import('./components/MetricsContent').then(m => <m.MetricsContent />),
  },
});

/** "Metrics" tab of Group entities: the roll-up of the Records they own. */
export const phasetGroupMetricsContent = EntityContentBlueprint.make({
  name: 'group-metrics',
  params: {
    path: TAB_PATHS.metrics,
    title: 'Metrics',
    filter: isGroupEntity,
    loader: () =>
      import('./components/GroupMetricsContent').then(m => (
        <m.GroupMetricsContent />
      )),
  },
});

/** Health card on the entity Overview. */
export const phasetHealthCard = EntityCardBlueprint.make({
  name: 'health',
  params: {
    type: 'info',
    filter: isPhasetAvailable,
    loader: () => import('./components/HealthCard').then(m => <m.HealthCard />),
  },
});

/**
 * Phaset for the new frontend system: entity tabs (Record, Standards,
 * Metrics), the health card and the Group "Metrics" tab.
 *
 * @public
 */
export const phasetFrontendPlugin = createFrontendPlugin({
  pluginId: 'phaset',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    phasetApi,
    phasetRecordContent,
    phasetStandardsContent,
    phasetMetricsContent,
    phasetGroupMetricsContent,
    phasetHealthCard,
  ],
});
