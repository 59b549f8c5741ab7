import type { DoraMetrics } from '@internal/backstage-plugin-phaset-common';
import { dora, emptyDora, previousDora } from '../../__testUtils__/fixtures';
import {
  matchesFilter,
  overviewCsv,
  overviewRows,
  rankOwners,
  tierCounts,
  tierScore,
  trendOf,
} from './overview';

const lowDora: DoraMetrics = {
  ...dora,
  deploymentFrequency: { ...dora.deploymentFrequency, tier: 'low' },
  leadTimeForChanges: {
    ...dora.leadTimeForChanges,
    tier: 'low',
  } as DoraMetrics['leadTimeForChanges'],
  changeFailureRate: {
    ...dora.changeFailureRate,
    tier: 'low',
  } as DoraMetrics['changeFailureRate'],
  failedDeploymentRecoveryTime: {
    ...dora.failedDeploymentRecoveryTime,
    tier: 'low',
  } as DoraMetrics['failedDeploymentRecoveryTime'],
};

const rows = overviewRows({
  records: [
    {
      recordId: 'Orders0001',
      organizationId: 'o',
      owner: 'group:default/shop',
      dora,
    },
    {
      recordId: 'Basket0001',
      organizationId: 'o',
      owner: 'group:default/pay',
      entityRef: 'component:default/basket',
      dora: emptyDora,
    },
  ],
  previous: [
    { recordId: 'Orders0001', organizationId: 'o', dora: previousDora },
  ],
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'orders0001',
        namespace: 'default',
        title: 'Orders, "the" service',
      },
      spec: { system: 'shop', lifecycle: 'production' },
    },
    undefined,
  ],
  passRates: [0.8, undefined],
});

describe('organisation overview', () => {
  it('scores tiers as their mean, without the metrics that have none', () => {
    // elite, elite, medium, medium
    expect(tierScore(dora)).toBe(3);
    expect(tierScore(emptyDora)).toBeUndefined();
  });

  it('tells the trend of the tiers against the previous window', () => {
    // previous: elite, elite, high, medium = 3.25
    expect(trendOf(dora, previousDora)).toBe('worse');
    expect(trendOf(previousDora, dora)).toBe('better');
    expect(trendOf(dora, dora)).toBe('same');
    expect(trendOf(dora, emptyDora)).toBe('new');
    expect(trendOf(emptyDora, dora)).toBe('none');
  });

  it('joins the roll-up with the catalog entity and the Standards pass rate', () => {
    expect(rows[0]).toMatchObject({
      entityRef: 'component:default/orders0001',
      title: 'Orders, "the" service',
      system: 'system:default/shop',
      lifecycle: 'production',
      passRate: 0.8,
      trend: 'worse',
    });
    expect(rows[1]).toMatchObject({
      entityRef: 'component:default/basket',
      title: 'Basket0001',
      trend: 'none',
    });
  });

  it('filters by owner, system, lifecycle and tier', () => {
    expect(
      rows
        .filter(r => matchesFilter(r, { owner: 'group:default/pay' }))
        .map(r => r.recordId),
    ).toEqual(['Basket0001']);
    expect(
      rows.filter(r => matchesFilter(r, { system: 'system:default/shop' })),
    ).toHaveLength(1);
    expect(
      rows.filter(r => matchesFilter(r, { lifecycle: 'experimental' })),
    ).toHaveLength(0);
    expect(
      rows
        .filter(r => matchesFilter(r, { tier: 'medium' }))
        .map(r => r.recordId),
    ).toEqual(['Orders0001']);
    expect(rows.filter(r => matchesFilter(r, { tier: 'high' }))).toHaveLength(
      0,
    );
    expect(
      rows.filter(r => matchesFilter(r, { tier: 'none' })).map(r => r.recordId),
    ).toEqual(['Basket0001']);
  });

  it('counts Records per tier per metric, and those without data', () => {
    const counts = tierCounts(rows);
    expect(counts.map(c => c.definition.key)).toEqual([
      'deploymentFrequency',
      'leadTimeForChanges',
      'changeFailureRate',
      'failedDeploymentRecoveryTime',
    ]);
    expect(counts[0].counts).toEqual({
      elite: 1,
      high: 0,
      medium: 0,
      low: 0,
      none: 1,
    });
    expect(counts[2].counts).toEqual({
      elite: 0,
      high: 0,
      medium: 1,
      low: 0,
      none: 1,
    });
  });

  it('ranks owners by pooled tiers, owners without any tier last and unranked', () => {
    const ranked = rankOwners([
      { owner: 'group:default/low', records: 1, dora: lowDora },
      { owner: 'group:default/none', records: 1, dora: emptyDora },
      { owner: 'group:default/top', records: 2, dora },
    ]);
    expect(ranked.map(o => [o.owner, o.rank])).toEqual([
      ['group:default/top', 1],
      ['group:default/low', 2],
      ['group:default/none', undefined],
    ]);
  });

  it('ranks owners by the mean Health of their Records before their tiers', () => {
    const ranked = rankOwners([
      { owner: 'group:default/top', records: 2, dora },
      {
        owner: 'group:default/healthy',
        records: 1,
        dora: lowDora,
        health: { score: 92, grade: 'A' },
      },
      {
        owner: 'group:default/ill',
        records: 1,
        dora,
        health: { score: 40, grade: 'F' },
      },
    ]);
    expect(ranked.map(o => [o.owner, o.rank])).toEqual([
      ['group:default/healthy', 1],
      ['group:default/ill', 2],
      ['group:default/top', 3],
    ]);
  });

  it('exports raw values as CSV, one row per Record', () => {
    const csv = overviewCsv(rows).trimEnd().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[0]).toMatch(
      /^entity,record,owner,system,lifecycle,deployments,/,
    );
    expect(csv[1]).toBe(
      'component:default/orders0001,Orders0001,group:default/shop,system:default/shop,production,42,9.8,elite,12000,elite,0.125,medium,267840,medium,0.8,,worse',
    );
    expect(csv[2]).toBe(
      'component:default/basket,Basket0001,group:default/pay,,,0,0,,,,,,,,,,none',
    );
  });
});
