import { createApiRef } from '@backstage/core-plugin-api';
import type { RecordMetrics } from '@internal/backstage-plugin-phaset-common';
import type {
  MetricSeries,
  MetricsRollup,
  PhasetBaseline,
  PhasetRecord,
  SeriesInterval,
  SeriesMetric,
  StandardsReport,
  TimeWindow,
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
  /** Per-Record and per-owner DORA metrics; `owner` is an entity ref. */
  getMetricsRollup(
    filter: { owner?: string; organization?: string },
    window: TimeWindow,
  ): Promise<MetricsRollup>;
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
