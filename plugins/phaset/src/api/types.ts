/*
 * Answers of the phaset backend's REST API as the frontend reads them: the
 * models generated from plugins/phaset-backend/src/schema/openapi.yaml where
 * they fit; the metric shapes are phaset-common's own (docs/metrics.md), which
 * the generated metric models do not match type for type yet.
 */
import type {
  PhasetApi,
  DoraMetrics,
  MetricsWindow,
  PhasetBaseline,
  RecordUpdate,
  StandardsCheckResult,
} from '@internal/backstage-plugin-phaset-common';

/** A Record with its latest manifest. @public */
export type PhasetRecord = {
  id: string;
  organizationId: string;
  entityRef?: string;
  origin: 'config' | 'api';
  manifest?: RecordUpdate;
  manifestUpdatedAt?: string;
  createdAt: string;
  updatedAt: string;
};

/** Counts of one StandardLint run. @public */
export type StandardsSummary = PhasetApi.StandardsSummary;

/** @public */
export type StandardsReport = {
  latest?: StandardsSummary & { results: StandardsCheckResult[] };
  /** Oldest first, at most 100 runs. */
  history: StandardsSummary[];
};

/** Metrics the series endpoint can chart. @public */
export type SeriesMetric = PhasetApi.SeriesMetric;

/** @public */
export type SeriesInterval = PhasetApi.SeriesInterval;

/** @public */
export type MetricSeries = {
  recordId: string;
  metric: SeriesMetric;
  interval: SeriesInterval;
  window: MetricsWindow;
  /** `value` is null where the bucket has no data. */
  points: Array<{ from: string; to: string; value: number | null }>;
};

/** Engineering metrics the engineering series endpoint can chart. @public */
export type EngineeringSeriesMetric = PhasetApi.EngineeringSeriesMetric;

/** @public */
export type EngineeringSeries = Omit<MetricSeries, 'metric'> & {
  metric: EngineeringSeriesMetric;
};

/** The lists behind the metrics, by their route. @public */
export type FactListKind =
  | 'deployments'
  | 'changes'
  | 'incidents'
  | 'pull-requests';

/** @public */
export type DeploymentItem = PhasetApi.DeploymentItem;
/** @public */
export type ChangeItem = PhasetApi.ChangeItem;
/** @public */
export type IncidentItem = PhasetApi.IncidentItem;
/** @public */
export type PullRequestItem = PhasetApi.PullRequestItem;

/** The item of each list. @public */
export type FactItem<K extends FactListKind> = {
  deployments: DeploymentItem;
  changes: ChangeItem;
  incidents: IncidentItem;
  'pull-requests': PullRequestItem;
}[K];

/** One page of a list behind the metrics. @public */
export type FactListPage<K extends FactListKind> = {
  recordId: string;
  window: MetricsWindow;
  items: Array<FactItem<K>>;
  nextCursor?: string;
};

/** What of a window's telemetry the metrics can use, and hints. @public */
export type TelemetryCoverage = PhasetApi.TelemetryCoverage;

/** The Review template and the rules it counts by. @public */
export type ReviewTemplate = PhasetApi.ReviewTemplate;
/** @public */
export type Review = PhasetApi.Review;
/** @public */
export type ReviewAnswer = PhasetApi.ReviewAnswer;
/** A Record's Health Score, its parts and what to do next. @public */
export type RecordHealth = PhasetApi.HealthScore;

/** @public */
export type RollupRecordRow = {
  recordId: string;
  organizationId: string;
  entityRef?: string;
  owner?: string;
  lastDeploymentAt?: string;
  /** Counts of its latest StandardLint result, if any. */
  standards?: StandardsSummary;
  health?: PhasetApi.RollupHealth;
  dora: DoraMetrics;
};

/** @public */
export type RollupOwnerRow = {
  owner: string;
  records: number;
  lastDeploymentAt?: string;
  /** The mean Health Score of its Records, graded. */
  health?: PhasetApi.RollupHealth;
  dora: DoraMetrics;
};

/** @public */
export type MetricsRollup = {
  window: MetricsWindow;
  records: RollupRecordRow[];
  owners: RollupOwnerRow[];
};

/** A token of a Record: a CI token or a webhook generated for a tool (`source`). @public */
export type PhasetToken = PhasetApi.Token;

/** A token as issued: the secret is in this answer only. @public */
export type IssuedToken = PhasetApi.IssuedToken;

/** A generated webhook as created: URL and secrets are shown once. @public */
export type GeneratedWebhook = PhasetApi.IssuedWebhook;

/** A tool a webhook can be generated for, with its setup steps. @public */
export type WebhookSourceDescription = PhasetApi.WebhookSourceDescription;

/** A half-open time window `[from, to)`. @public */
export type TimeWindow = { from: Date; to: Date };

export type { PhasetBaseline };
