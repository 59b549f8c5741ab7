import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  renderInTestApp as legacyRenderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  dora,
  engineering,
  entity,
  entityWithoutRecord,
  group,
  health,
  metricsFor,
  record,
} from './__testUtils__/fixtures';
import { PhasetApi, phasetApiRef } from './api';
import {
  phasetGroupMetricsContent,
  phasetHealthCard,
  phasetMetricsContent,
  phasetRecordContent,
  phasetReviewContent,
  phasetStandardsContent,
} from './plugin';
import phasetPlugin, { EntityPhasetHealthCard } from './index';

describe('phaset plugin', () => {
  it('adds the Record, Standards, Metrics and Review tabs only to entities with a Record', () => {
    const tabs = [
      createExtensionTester(phasetRecordContent),
      createExtensionTester(phasetStandardsContent),
      createExtensionTester(phasetMetricsContent),
      createExtensionTester(phasetReviewContent),
    ];
    expect(tabs.map(t => t.get(EntityContentBlueprint.dataRefs.title))).toEqual(
      ['Record', 'Standards', 'Metrics', 'Review'],
    );
    for (const tester of tabs) {
      const filter = tester.get(
        EntityContentBlueprint.dataRefs.filterFunction,
      )!;
      expect(filter(entity)).toBe(true);
      expect(filter(entityWithoutRecord)).toBe(false);
      expect(filter(group)).toBe(false);
    }
  });

  it('adds the Metrics tab to groups only', () => {
    const tester = createExtensionTester(phasetGroupMetricsContent);
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(group)).toBe(true);
    expect(filter(entity)).toBe(false);
  });

  it('adds an info card for entities with a Record', () => {
    const tester = createExtensionTester(phasetHealthCard);
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('info');
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity)).toBe(true);
    expect(filter(entityWithoutRecord)).toBe(false);
  });

  it('is the default export, with plugin id phaset', () => {
    expect(phasetPlugin.id).toBe('phaset');
  });

  it('renders the legacy health card in a legacy test app', async () => {
    const api: Partial<PhasetApi> = {
      getRecord: async () => record,
      getStandards: async () => ({ history: [] }),
      getRecordMetrics: async (_id, window) =>
        metricsFor(
          window.from.toISOString(),
          window.to.toISOString(),
          dora,
          engineering,
        ),
      getMetricSeries: async () => ({ points: [] } as any),
      getHealth: async () => health,
    };
    await legacyRenderInTestApp(
      <TestApiProvider apis={[[phasetApiRef, api]]}>
        <EntityProvider entity={entity}>
          <EntityPhasetHealthCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('Phaset health')).toBeInTheDocument();
    expect(await screen.findByText('No result yet')).toBeInTheDocument();
    expect(screen.getAllByText('Elite')).toHaveLength(2);
    expect(screen.getByLabelText('Grade D')).toBeInTheDocument();
  });
});
