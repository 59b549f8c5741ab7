import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import TimelineIcon from '@material-ui/icons/Timeline';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { PhasetClient, phasetApiRef } from './api';
import { TAB_PATHS } from './components/tabs';
import {
  isConnectableEntity,
  isGroupEntity,
  isPhasetAvailable,
} from './isPhasetAvailable';

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

/** "Review" tab: the Health Score, a new Review and the Review history. */
export const phasetReviewContent = EntityContentBlueprint.make({
  name: 'review',
  params: {
    path: TAB_PATHS.review,
    title: 'Review',
    filter: isPhasetAvailable,
    loader: () =>
      import('./components/ReviewContent').then(m => <m.ReviewContent />),
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

/** "Integrations" tab: the Record's CI tokens and generated webhooks. */
export const phasetIntegrationsContent = EntityContentBlueprint.make({
  name: 'integrations',
  params: {
    path: TAB_PATHS.integrations,
    title: 'Integrations',
    filter: isPhasetAvailable,
    loader: () =>
      import('./components/Webhooks').then(m => <m.EntityWebhooksContent />),
  },
});

/** "Connect to Phaset" on the Overview of a Component without a Record. */
export const phasetConnectCard = EntityCardBlueprint.make({
  name: 'connect',
  params: {
    type: 'info',
    filter: isConnectableEntity,
    loader: () =>
      import('./components/ConnectEntity').then(m => <m.ConnectEntityCard />),
  },
});

/** The Phaset page at /phaset. @public */
export const phasetPageRouteRef = createRouteRef();

/** The Phaset page in the sidebar; its tabs are the sub-pages below. */
export const phasetPage = PageBlueprint.make({
  params: {
    path: '/phaset',
    title: 'Phaset',
    icon: <TimelineIcon fontSize="inherit" />,
    routeRef: phasetPageRouteRef,
  },
});

/** Phaset page, "Overview" tab: every Record, ranked owners, tier counts. */
export const phasetOverviewSubPage = SubPageBlueprint.make({
  name: 'overview',
  params: {
    path: 'overview',
    title: 'Overview',
    loader: () =>
      import('./components/PhasetPage').then(m => <m.OverviewContent />),
  },
});

/** Phaset page, "Integrations" tab: tokens and webhooks of every Record. */
export const phasetIntegrationsSubPage = SubPageBlueprint.make({
  name: 'integrations',
  params: {
    path: 'integrations',
    title: 'Integrations',
    loader: () =>
      import('./components/PhasetPage').then(m => <m.IntegrationsContent />),
  },
});

/**
 * Phaset for the new frontend system: entity tabs (Record, Standards,
 * Metrics, Integrations), the health card, "Connect to Phaset" on entities
 * without a Record, the Group "Metrics" tab and the Phaset page (/phaset).
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
    phasetReviewContent,
    phasetGroupMetricsContent,
    phasetHealthCard,
    phasetIntegrationsContent,
    phasetConnectCard,
    phasetPage,
    phasetOverviewSubPage,
    phasetIntegrationsSubPage,
  ],
  routes: { root: phasetPageRouteRef },
});
