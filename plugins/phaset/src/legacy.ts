/*
 * The same components for apps on the legacy frontend system
 * (`@backstage/core-plugin-api`): add them to the entity pages in
 * `packages/app/src/components/catalog/EntityPage.tsx`, see the README.
 */
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { PhasetClient, phasetApiRef } from './api';

/** Where the legacy app mounts {@link PhasetPage}. @public */
export const phasetLegacyRootRouteRef = createRouteRef({ id: 'phaset' });

/** @public */
export const phasetPlugin = createPlugin({
  id: 'phaset',
  routes: { root: phasetLegacyRootRouteRef },
  apis: [
    createApiFactory({
      api: phasetApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PhasetClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/** The Record tab's content. @public */
export const EntityPhasetRecordContent = phasetPlugin.provide(
  createComponentExtension({
    name: 'EntityPhasetRecordContent',
    component: {
      lazy: () =>
        import('./components/RecordContent').then(m => m.RecordContent),
    },
  }),
);

/** The Standards tab's content. @public */
export const EntityPhasetStandardsContent = phasetPlugin.provide(
  createComponentExtension({
    name: 'EntityPhasetStandardsContent',
    component: {
      lazy: () =>
        import('./components/StandardsContent').then(m => m.StandardsContent),
    },
  }),
);

/** The Metrics tab's content. @public */
export const EntityPhasetMetricsContent = phasetPlugin.provide(
  createComponentExtension({
    name: 'EntityPhasetMetricsContent',
    component: {
      lazy: () =>
        import('./components/MetricsContent').then(m => m.MetricsContent),
    },
  }),
);

/** The Review tab's content: Health Score, a new Review, the history. @public */
export const EntityPhasetReviewContent = phasetPlugin.provide(
  createComponentExtension({
    name: 'EntityPhasetReviewContent',
    component: {
      lazy: () =>
        import('./components/ReviewContent').then(m => m.ReviewContent),
    },
  }),
);

/** The Group entity's Metrics tab. @public */
export const EntityPhasetGroupMetricsContent = phasetPlugin.provide(
  createComponentExtension({
    name: 'EntityPhasetGroupMetricsContent',
    component: {
      lazy: () =>
        import('./components/GroupMetricsContent').then(
          m => m.GroupMetricsContent,
        ),
    },
  }),
);

/** The health card for the Overview. @public */
export const EntityPhasetHealthCard = phasetPlugin.provide(
  createComponentExtension({
    name: 'EntityPhasetHealthCard',
    component: {
      lazy: () => import('./components/HealthCard').then(m => m.HealthCard),
    },
  }),
);

/** The Record's tokens and webhooks tab. @public */
export const EntityPhasetIntegrationsContent = phasetPlugin.provide(
  createComponentExtension({
    name: 'EntityPhasetIntegrationsContent',
    component: {
      lazy: () =>
        import('./components/Webhooks').then(m => m.EntityWebhooksContent),
    },
  }),
);

/** "Connect to Phaset", for the Overview of Components without a Record. @public */
export const EntityPhasetConnectCard = phasetPlugin.provide(
  createComponentExtension({
    name: 'EntityPhasetConnectCard',
    component: {
      lazy: () =>
        import('./components/ConnectEntity').then(m => m.ConnectEntityCard),
    },
  }),
);

/** The Phaset page (Overview and Integrations tabs), e.g. at /phaset. @public */
export const PhasetPage = phasetPlugin.provide(
  createRoutableExtension({
    name: 'PhasetPage',
    component: () => import('./components/PhasetPage').then(m => m.PhasetPage),
    mountPoint: phasetLegacyRootRouteRef,
  }),
);
