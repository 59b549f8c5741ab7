import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { entity, entityWithoutRecord, group } from './__testUtils__/fixtures';
import {
  phasetGroupMetricsContent,
  phasetHealthCard,
  phasetMetricsContent,
  phasetRecordContent,
  phasetStandardsContent,
} from './plugin';
import phasetPlugin, { EntityPhasetHealthCard } from './index';

describe('phaset plugin', () => {
  it('adds the Record, Standards and Metrics tabs only to entities with a Record', () => {
    const tabs = [
      createExtensionTester(phasetRecordContent),
      createExtensionTester(phasetStandardsContent),
      createExtensionTester(phasetMetricsContent),
    ];
    expect(tabs.map(t => t.get(EntityContentBlueprint.dataRefs.title))).toEqual(
      ['Record', 'Standards', 'Metrics'],
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

  it('exports legacy components for apps on the old frontend system', async () => {
    expect(EntityPhasetHealthCard).toBeDefined();
    await renderInTestApp(<div>legacy export importable</div>);
  });
});
