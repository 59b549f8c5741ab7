/*
 * Shapes of the metrics API. Definitions: docs/metrics.md. Durations are in
 * seconds, times are ISO 8601 strings.
 */

/** DORA 2023 performance cluster. @public */
export type DoraTier = 'elite' | 'high' | 'medium' | 'low';

/** A value that may be missing, and then says why. @public */
export type Missing = { value: null; reason: string };

/** Summary statistics of a set of durations. @public */
export type DurationStats = {
  unit: 'seconds';
  count: number;
  median: number;
  p75: number;
  p90: number;
  mean: number;
};

/** @public */
export type DeploymentFrequency = {
  deployments: number;
  perDay: number;
  perWeek: number;
  /** Median over the window's weeks of the days with at least one deployment. */
  medianDeploymentDaysPerWeek: number;
  /** Days with at least one deployment, per 30 days. */
  deploymentDaysPerMonth: number;
  tier: DoraTier | null;
};

/** @public */
export type DurationMetric =
  | (DurationStats & { tier: DoraTier | null })
  | (Missing & { count: 0; tier: null });

/** @public */
export type ChangeFailureRate =
  | {
      value: number;
      failedDeployments: number;
      deployments: number;
      tier: DoraTier | null;
    }
  | (Missing & { deployments: 0; tier: null });

/**
 * Rework rate (DORA 2024): the share of the window's deployments made while
 * an incident of the Record was open. DORA publishes no tiers for it.
 *
 * @public
 */
export type ReworkRate =
  | { value: number; reworkDeployments: number; deployments: number }
  | (Missing & { deployments: 0 });

/** @public */
export type OpenIncident = { id: string; openedAt: string; ageSeconds: number };

/** @public */
export type DoraMetrics = {
  deploymentFrequency: DeploymentFrequency;
  leadTimeForChanges: DurationMetric;
  changeFailureRate: ChangeFailureRate;
  reworkRate: ReworkRate;
  failedDeploymentRecoveryTime: DurationMetric;
  timeToRestore: DurationMetric & { open: OpenIncident[] };
};

/** @public */
export type CountOrMissing = number | Missing;

/** @public */
export type EngineeringMetrics = {
  changes: number;
  pullRequestsOpened: number;
  pullRequestsMerged: number;
  pullRequestsClosed: number;
  reviewsApproved: number;
  reviewsChangesRequested: number;
  comments: number;
  additions: CountOrMissing;
  deletions: CountOrMissing;
  changedFiles: CountOrMissing;
  mergeTime: DurationMetric;
  reviewTime: DurationMetric;
  /** Lines (additions + deletions) per opened pull request. */
  reviewSize:
    | {
        unit: 'lines';
        count: number;
        median: number;
        p75: number;
        p90: number;
        mean: number;
      }
    | (Missing & { count: 0 });
};

/** @public */
export type MetricsWindow = { from: string; to: string; days: number };

/** @public */
export type RecordMetrics = {
  recordId: string;
  window: MetricsWindow;
  /** The latest deployment before the window's end, if any. */
  lastDeploymentAt?: string;
  dora: DoraMetrics;
  engineering: EngineeringMetrics;
};

/** Thresholds of the DORA tiers; config `phaset.metrics.tiers` overrides them. @public */
export type DoraTierThresholds = {
  /** Lead time median (seconds) below which a tier applies: [elite, high, medium]. */
  leadTimeSeconds: [number, number, number];
  /** Change failure rate at or below which a tier applies: [elite, high, medium]. */
  changeFailureRate: [number, number, number];
  /** Recovery time median (seconds) below which a tier applies: [elite, high, medium]. */
  recoverySeconds: [number, number, number];
  /** Median deployment days per week at or above which elite and high apply. */
  deploymentDaysPerWeek: [number, number];
  /** Deployment days per month at or above which medium applies. */
  deploymentDaysPerMonth: number;
};

const HOUR = 3600;
const DAY = 24 * HOUR;

/** DORA 2023 clusters. @public */
export const DEFAULT_DORA_TIERS: DoraTierThresholds = {
  leadTimeSeconds: [DAY, 7 * DAY, 30 * DAY],
  changeFailureRate: [0.05, 0.1, 0.15],
  recoverySeconds: [HOUR, DAY, 7 * DAY],
  deploymentDaysPerWeek: [5, 1],
  deploymentDaysPerMonth: 1,
};
