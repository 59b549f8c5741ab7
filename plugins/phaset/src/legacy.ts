/*
 * The same components for apps on the legacy frontend system
 * (`@backstage/core-plugin-api`): add them to the entity pages in
 * `packages/app/src/components/catalog/EntityPage.tsx`, see the README.
 */
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { PhasetClient, phasetApiRef } from './api';

/** @public */
export const phasetPlugin = createPlugin({
  id: 'phaset',
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
