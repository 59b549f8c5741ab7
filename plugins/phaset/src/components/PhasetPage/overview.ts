/*
 * The organisation overview as data: one row per Record (roll-up, catalog
 * entity, Standards, last deployment, trend), owners ranked by their pooled
 * tiers, the tier counts of the summary tiles and the CSV export.
 */
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Grade } from '@internal/backstage-plugin-phaset-common';
import type {
  DoraMetrics,
  DoraTier,
} from '@internal/backstage-plugin-phaset-common';
import type { RollupOwnerRow, RollupRecordRow } from '../../api';
import {
  DoraDefinition,
  DORA_DEFINITIONS,
} from '../MetricsContent/definitions';

/** The four DORA 2023 metrics that carry a tier (time to restore is extra). */
export const TIERED_METRICS: DoraDefinition[] = DORA_DEFINITIONS.filter(
  d => d.key !== 'timeToRestore' && d.thresholds.length > 0,
);

export const TIERS: DoraTier[] = ['elite', 'high', 'medium', 'low'];

const TIER_SCORE: Record<DoraTier, number> = {
  elite: 4,
  high: 3,
  medium: 2,
  low: 1,
};

/**
 * Mean tier over the metrics that have one (elite 4 … low 1); undefined when
 * none has. Used to rank owners and to tell a Record's trend.
 */
export function tierScore(dora: DoraMetrics): number | undefined {
  const scores = TIERED_METRICS.map(d => d.read(dora).tier)
    .filter((tier): tier is DoraTier => tier !== null)
    .map(tier => TIER_SCORE[tier]);
  return scores.length
    ? scores.reduce((sum, score) => sum + score, 0) / scores.length
    : undefined;
}

export type Trend = 'better' | 'worse' | 'same' | 'new' | 'none';

/** Whether the Record's tiers improved against the previous window. */
export function trendOf(current: DoraMetrics, previous?: DoraMetrics): Trend {
  const now = tierScore(current);
  const before = previous ? tierScore(previous) : undefined;
  if (now === undefined) return 'none';
  if (before === undefined) return 'new';
  if (now === before) return 'same';
  return now > before ? 'better' : 'worse';
}

export const TREND_LABEL: Record<Trend, string> = {
  better: 'better',
  worse: 'worse',
  same: 'same',
  new: 'no data before',
  none: 'no data',
};

/**
 * The catalog entity of a Record: its `entityRef`, or the Component the
 * catalog module makes of a Record pushed from CI (named after its id).
 */
export function recordEntityRef(row: {
  recordId: string;
  entityRef?: string;
}): string {
  return (
    row.entityRef ??
    `component:default/${row.recordId.toLocaleLowerCase('en-US')}`
  );
}

export type OverviewRow = RollupRecordRow & {
  entityRef: string;
  title: string;
  system?: string;
  lifecycle?: string;
  passRate?: number;
  /** The last production deployment before the window's end; null: none. */
  lastDeployment: string | null;
  trend: Trend;
};

export function overviewRows(options: {
  records: RollupRecordRow[];
  previous: RollupRecordRow[];
  entities: Array<Entity | undefined>;
  passRates: Array<number | undefined>;
}): OverviewRow[] {
  const { records, previous, entities, passRates } = options;
  return records.map((record, index) => {
    const entity = entities[index];
    const before = previous.find(p => p.recordId === record.recordId);
    const spec = (entity?.spec ?? {}) as Record<string, unknown>;
    return {
      ...record,
      entityRef: recordEntityRef(record),
      title: entity?.metadata.title ?? entity?.metadata.name ?? record.recordId,
      system:
        typeof spec.system === 'string'
          ? stringifyEntityRef(
              parseEntityRef(spec.system, {
                defaultKind: 'system',
                defaultNamespace: entity?.metadata.namespace,
              }),
            )
          : undefined,
      lifecycle:
        typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined,
      passRate: passRates[index],
      lastDeployment: record.lastDeploymentAt ?? null,
      trend: trendOf(record.dora, before?.dora),
    };
  });
}

export type OverviewFilter = {
  owner?: string;
  system?: string;
  lifecycle?: string;
  /** A tier any of the four metrics is in, or `none` for Records without any tier. */
  tier?: DoraTier | 'none';
  /** The Record's Health grade. */
  grade?: Grade;
};

export function matchesFilter(row: OverviewRow, filter: OverviewFilter) {
  if (filter.owner && row.owner !== filter.owner) return false;
  if (filter.system && row.system !== filter.system) return false;
  if (filter.lifecycle && row.lifecycle !== filter.lifecycle) return false;
  if (filter.grade && row.health?.grade !== filter.grade) return false;
  if (filter.tier) {
    const tiers = TIERED_METRICS.map(d => d.read(row.dora).tier);
    return filter.tier === 'none'
      ? tiers.every(tier => tier === null)
      : tiers.includes(filter.tier);
  }
  return true;
}

/** Per metric: how many Records are in each tier, and how many have no data. */
export function tierCounts(rows: OverviewRow[]) {
  return TIERED_METRICS.map(definition => {
    const counts = { elite: 0, high: 0, medium: 0, low: 0, none: 0 };
    for (const row of rows) {
      counts[definition.read(row.dora).tier ?? 'none'] += 1;
    }
    return { definition, counts };
  });
}

export type RankedOwner = RollupOwnerRow & {
  rank?: number;
  score?: number;
};

/** Owners by their pooled tiers, best first; owners without a tier last, unranked. */
/**
 * Owners by the mean Health Score of their Records, then by their pooled
 * DORA tiers; `rank` counts the owners with a Health Score or a tier.
 */
export function rankOwners(owners: RollupOwnerRow[]): RankedOwner[] {
  const scored = owners.map(owner => ({
    ...owner,
    score: tierScore(owner.dora),
  }));
  scored.sort(
    (a, b) =>
      (b.health?.score ?? -1) - (a.health?.score ?? -1) ||
      (b.score ?? -1) - (a.score ?? -1) ||
      a.owner.localeCompare(b.owner),
  );
  let rank = 0;
  return scored.map(owner => ({
    ...owner,
    rank:
      owner.score === undefined && owner.health === undefined
        ? undefined
        : ++rank,
  }));
}

function csvCell(value: string | number | undefined | null): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV: raw values (seconds, ratios) so a spreadsheet can compute. */
export function overviewCsv(rows: OverviewRow[]): string {
  const header = [
    'entity',
    'record',
    'owner',
    'system',
    'lifecycle',
    'deployments',
    'deployment_frequency_per_week',
    'deployment_frequency_tier',
    'lead_time_median_seconds',
    'lead_time_tier',
    'change_failure_rate',
    'change_failure_rate_tier',
    'recovery_time_median_seconds',
    'recovery_time_tier',
    'standards_pass_rate',
    'last_deployment_day',
    'trend',
  ];
  const median = (metric: DoraMetrics['leadTimeForChanges']) =>
    'median' in metric ? metric.median : undefined;
  const lines = rows.map(row => {
    const { dora } = row;
    return [
      row.entityRef,
      row.recordId,
      row.owner,
      row.system,
      row.lifecycle,
      dora.deploymentFrequency.deployments,
      dora.deploymentFrequency.perWeek,
      dora.deploymentFrequency.tier,
      median(dora.leadTimeForChanges),
      dora.leadTimeForChanges.tier,
      dora.changeFailureRate.value ?? undefined,
      dora.changeFailureRate.tier,
      median(dora.failedDeploymentRecoveryTime),
      dora.failedDeploymentRecoveryTime.tier,
      row.passRate,
      row.lastDeployment?.slice(0, 10),
      row.trend,
    ]
      .map(csvCell)
      .join(',');
  });
  return `${[header.join(','), ...lines].join('\n')}\n`;
}
