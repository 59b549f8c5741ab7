import { createApiRef } from '@backstage/core-plugin-api';
import type { RecordMetrics } from '@internal/backstage-plugin-phaset-common';
import type {
  EngineeringSeries,
  EngineeringSeriesMetric,
  FactListKind,
  FactListPage,
  GeneratedWebhook,
  TelemetryCoverage,
  RecordHealth,
  Review,
  ReviewAnswer,
  ReviewTemplate,
  IssuedToken,
  MetricSeries,
  MetricsRollup,
  PhasetBaseline,
  PhasetRecord,
  SeriesInterval,
  SeriesMetric,
  PhasetToken,
  StandardsReport,
  TimeWindow,
  WebhookSourceDescription,
} from './types';

/**
 * What the frontend reads from the phaset backend. One method per REST route,
 * so a generated client can sit behind it without changing the components.
 *
 * @public
 */
export interface PhasetApi {
  getRecord(recordId: string): Promise<PhasetRecord>;
  getStandards(recordId: string): Promise<StandardsReport>;
  getBaseline(recordId: string): Promise<PhasetBaseline>;
  getRecordMetrics(
    recordId: string,
    window: TimeWindow,
  ): Promise<RecordMetrics>;
  getMetricSeries(
    recordId: string,
    metric: SeriesMetric,
    interval: SeriesInterval,
    window: TimeWindow,
  ): Promise<MetricSeries>;
  getEngineeringSeries(
    recordId: string,
    metric: EngineeringSeriesMetric,
    interval: SeriesInterval,
    window: TimeWindow,
  ): Promise<EngineeringSeries>;
  /** One page of the list behind a Record's metrics for the window. */
  listFacts<K extends FactListKind>(
    recordId: string,
    list: K,
    window: TimeWindow,
    page?: { limit?: number; cursor?: string },
  ): Promise<FactListPage<K>>;
  /** How much of the window's telemetry the metrics can use, and why not. */
  getCoverage(recordId: string, window: TimeWindow): Promise<TelemetryCoverage>;
  getHealth(recordId: string): Promise<RecordHealth>;
  getReviewTemplate(): Promise<ReviewTemplate>;
  /** Every Review of the Record, newest first. */
  listReviews(recordId: string): Promise<Review[]>;
  createReview(recordId: string, answers: ReviewAnswer[]): Promise<Review>;
  /** Per-Record and per-owner DORA metrics; `owner` is an entity ref. */
  getMetricsRollup(
    filter: { owner?: string; organization?: string },
    window: TimeWindow,
  ): Promise<MetricsRollup>;

  listRecords(filter?: { organization?: string }): Promise<PhasetRecord[]>;
  /**
   * Creates a Record, linked to a catalog entity when `entityRef` is given,
   * with the `id` an entity's annotation names when given.
   */
  createRecord(input: {
    organization: string;
    entityRef?: string;
    id?: string;
  }): Promise<PhasetRecord>;
  /** Every token of a Record (CI tokens and generated webhooks), with statistics. */
  listTokens(recordId: string): Promise<PhasetToken[]>;
  issueToken(recordId: string, name: string): Promise<IssuedToken>;
  listWebhooks(recordId: string): Promise<PhasetToken[]>;
  createWebhook(
    recordId: string,
    input: { name: string; source: string },
  ): Promise<GeneratedWebhook>;
  renameWebhook(
    recordId: string,
    webhookId: string,
    name: string,
  ): Promise<PhasetToken>;
  /** Stops the webhook at once; with `deleteData` also deletes what it sent. */
  revokeWebhook(
    recordId: string,
    webhookId: string,
    options: { deleteData: boolean },
  ): Promise<void>;
  /** The tools a webhook can be generated for, with their setup steps. */
  getWebhookSources(): Promise<WebhookSourceDescription[]>;
  /** How many stored events arrived through this token. */
  countTokenEvents(recordId: string, tokenId: string): Promise<number>;
}

/**
 * Created with core-plugin-api so that apps on the legacy frontend system can
 * register a factory for the same ref.
 *
 * @public
 */
export const phasetApiRef = createApiRef<PhasetApi>({
  id: 'plugin.phaset.service',
});
