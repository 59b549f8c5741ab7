import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { RecordMetrics } from '@internal/backstage-plugin-phaset-common';
import type { PhasetApi } from './PhasetApi';
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

/** Reads the phaset backend through Backstage's discovery and fetch APIs. @public */
export class PhasetClient implements PhasetApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getRecord(recordId: string): Promise<PhasetRecord> {
    return this.get(`/records/${encodeURIComponent(recordId)}`);
  }

  getStandards(recordId: string): Promise<StandardsReport> {
    return this.get(`/records/${encodeURIComponent(recordId)}/standards`);
  }

  getBaseline(recordId: string): Promise<PhasetBaseline> {
    return this.get(`/records/${encodeURIComponent(recordId)}/baseline`);
  }

  getRecordMetrics(
    recordId: string,
    window: TimeWindow,
  ): Promise<RecordMetrics> {
    return this.get(
      `/metrics/${encodeURIComponent(recordId)}`,
      windowQuery(window),
    );
  }

  getMetricSeries(
    recordId: string,
    metric: SeriesMetric,
    interval: SeriesInterval,
    window: TimeWindow,
  ): Promise<MetricSeries> {
    return this.get(`/metrics/${encodeURIComponent(recordId)}/series`, {
      metric,
      interval,
      ...windowQuery(window),
    });
  }

  getMetricsRollup(
    filter: { owner?: string; organization?: string },
    window: TimeWindow,
  ): Promise<MetricsRollup> {
    const query: Record<string, string> = windowQuery(window);
    if (filter.owner) query.owner = filter.owner;
    if (filter.organization) query.org = filter.organization;
    return this.get('/metrics', query);
  }

  private async get<T>(path: string, query?: Record<string, string>) {
    const baseUrl = await this.discoveryApi.getBaseUrl('phaset');
    const search = query ? `?${new URLSearchParams(query)}` : '';
    const response = await this.fetchApi.fetch(`${baseUrl}${path}${search}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function windowQuery(window: TimeWindow): Record<string, string> {
  return { from: window.from.toISOString(), to: window.to.toISOString() };
}
