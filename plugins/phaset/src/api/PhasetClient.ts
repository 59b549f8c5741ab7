import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DefaultApiClient,
  MAX_PAGE_LIMIT,
  type MetricsWindow,
  type RecordMetrics,
} from '@internal/backstage-plugin-phaset-common';
import type { PhasetApi } from './PhasetApi';
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
  RollupOwnerRow,
  RollupRecordRow,
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

/** Reads the phaset backend through Backstage's discovery and fetch APIs. @public */
export class PhasetClient implements PhasetApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  /** The client generated from the OpenAPI contract, for the routes it covers. */
  private readonly generated: DefaultApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.generated = new DefaultApiClient(options);
  }

  getRecord(recordId: string): Promise<PhasetRecord> {
    return read(this.generated.getRecord({ path: { id: recordId } }));
  }

  getStandards(recordId: string): Promise<StandardsReport> {
    return read(this.generated.getRecordStandards({ path: { id: recordId } }));
  }

  getBaseline(recordId: string): Promise<PhasetBaseline> {
    return read(this.generated.getRecordBaseline({ path: { id: recordId } }));
  }

  getRecordMetrics(
    recordId: string,
    window: TimeWindow,
  ): Promise<RecordMetrics> {
    return read(
      this.generated.getRecordMetrics({
        path: { recordId },
        query: windowQuery(window),
      }),
    );
  }

  getMetricSeries(
    recordId: string,
    metric: SeriesMetric,
    interval: SeriesInterval,
    window: TimeWindow,
  ): Promise<MetricSeries> {
    return read(
      this.generated.getRecordMetricSeries({
        path: { recordId },
        query: { metric, interval, ...windowQuery(window) },
      }),
    );
  }

  getEngineeringSeries(
    recordId: string,
    metric: EngineeringSeriesMetric,
    interval: SeriesInterval,
    window: TimeWindow,
  ): Promise<EngineeringSeries> {
    return read(
      this.generated.getRecordEngineeringSeries({
        path: { recordId },
        query: { metric, interval, ...windowQuery(window) },
      }),
    );
  }

  listFacts<K extends FactListKind>(
    recordId: string,
    list: K,
    window: TimeWindow,
    page: { limit?: number; cursor?: string } = {},
  ): Promise<FactListPage<K>> {
    const request = {
      path: { recordId },
      query: { ...windowQuery(window), ...page },
    };
    const routes = {
      deployments: () => this.generated.listRecordDeployments(request),
      changes: () => this.generated.listRecordChanges(request),
      incidents: () => this.generated.listRecordIncidents(request),
      'pull-requests': () => this.generated.listRecordPullRequests(request),
    };
    return read(routes[list]());
  }

  getCoverage(
    recordId: string,
    window: TimeWindow,
  ): Promise<TelemetryCoverage> {
    return read(
      this.generated.getRecordTelemetryCoverage({
        path: { recordId },
        query: windowQuery(window),
      }),
    );
  }

  getHealth(recordId: string): Promise<RecordHealth> {
    return read(this.generated.getRecordHealth({ path: { id: recordId } }));
  }

  getReviewTemplate(): Promise<ReviewTemplate> {
    return read(this.generated.getReviewTemplate({}));
  }

  listReviews(recordId: string): Promise<Review[]> {
    return this.getAllPages<Review>(`${recordPath(recordId)}/reviews`);
  }

  createReview(recordId: string, answers: ReviewAnswer[]): Promise<Review> {
    return this.send('POST', `${recordPath(recordId)}/reviews`, { answers });
  }

  async getMetricsRollup(
    filter: { owner?: string; organization?: string },
    window: TimeWindow,
  ): Promise<MetricsRollup> {
    const query = {
      owner: filter.owner,
      org: filter.organization,
      ...windowQuery(window),
      limit: MAX_PAGE_LIMIT,
    };
    // The screens rank and filter every row, so both lists are read whole.
    const [records, owners] = await Promise.all([
      everyPage(cursor =>
        read<RollupPage<RollupRecordRow>>(
          this.generated.getMetricsRollup({ query: { ...query, cursor } }),
        ),
      ),
      everyPage(cursor =>
        read<RollupPage<RollupOwnerRow>>(
          this.generated.getMetricsRollupOwners({
            query: { ...query, cursor },
          }),
        ),
      ),
    ]);
    return {
      window: records.window,
      records: records.items,
      owners: owners.items,
    };
  }

  async listRecords(
    filter: { organization?: string } = {},
  ): Promise<PhasetRecord[]> {
    const query: Record<string, string> = {};
    if (filter.organization) query.organization = filter.organization;
    return this.getAllPages<PhasetRecord>('/records', query);
  }

  createRecord(input: {
    organization: string;
    entityRef?: string;
    id?: string;
  }): Promise<PhasetRecord> {
    return this.send('POST', '/records', input);
  }

  listTokens(recordId: string): Promise<PhasetToken[]> {
    return this.getAllPages<PhasetToken>(`${recordPath(recordId)}/tokens`);
  }

  issueToken(recordId: string, name: string): Promise<IssuedToken> {
    return this.send('POST', `${recordPath(recordId)}/tokens`, { name });
  }

  listWebhooks(recordId: string): Promise<PhasetToken[]> {
    return this.getAllPages<PhasetToken>(`${recordPath(recordId)}/webhooks`);
  }

  createWebhook(
    recordId: string,
    input: { name: string; source: string },
  ): Promise<GeneratedWebhook> {
    return this.send('POST', `${recordPath(recordId)}/webhooks`, input);
  }

  renameWebhook(
    recordId: string,
    webhookId: string,
    name: string,
  ): Promise<PhasetToken> {
    return this.send(
      'PATCH',
      `${recordPath(recordId)}/webhooks/${encodeURIComponent(webhookId)}`,
      { name },
    );
  }

  async revokeWebhook(
    recordId: string,
    webhookId: string,
    options: { deleteData: boolean },
  ): Promise<void> {
    await this.send(
      'DELETE',
      `${recordPath(recordId)}/webhooks/${encodeURIComponent(webhookId)}${
        options.deleteData ? '?deleteData=true' : ''
      }`,
    );
  }

  async getWebhookSources(): Promise<WebhookSourceDescription[]> {
    const { items } = await this.get<{ items: WebhookSourceDescription[] }>(
      '/webhooks/sources',
    );
    return items;
  }

  // No route counts a token's events, so they are counted from the Record's
  // event list (each stored event names the token it arrived through).
  async countTokenEvents(recordId: string, tokenId: string): Promise<number> {
    const events = await this.getAllPages<{ tokenId?: string }>(
      `${recordPath(recordId)}/events`,
    );
    return events.filter(event => event.tokenId === tokenId).length;
  }

  /** Every page of a paged list (`items`, `nextCursor`), in order. */
  private async getAllPages<T>(
    path: string,
    query: Record<string, string> = {},
  ): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.get<{ items: T[]; nextCursor?: string }>(path, {
        ...query,
        limit: String(MAX_PAGE_LIMIT),
        ...(cursor && { cursor }),
      });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  private async get<T>(path: string, query?: Record<string, string>) {
    const search =
      query && Object.keys(query).length
        ? `?${new URLSearchParams(query)}`
        : '';
    return this.send<T>('GET', `${path}${search}`);
  }

  private async send<T>(method: string, path: string, body?: unknown) {
    const baseUrl = await this.discoveryApi.getBaseUrl('phaset');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      ...(body !== undefined && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}

function recordPath(recordId: string): string {
  return `/records/${encodeURIComponent(recordId)}`;
}

function windowQuery(window: TimeWindow): Record<string, string> {
  return { from: window.from.toISOString(), to: window.to.toISOString() };
}

type RollupPage<T> = { window: MetricsWindow; items: T[]; nextCursor?: string };

/** Every page of a roll-up list, walked by cursor, with the window it covers. */
async function everyPage<T>(
  readPage: (cursor?: string) => Promise<RollupPage<T>>,
): Promise<{ window: MetricsWindow; items: T[] }> {
  const first = await readPage();
  const items = [...first.items];
  for (let cursor = first.nextCursor; cursor; ) {
    const page = await readPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  }
  return { window: first.window, items };
}

/**
 * The JSON of a generated client's answer, typed as this package's own model
 * of it; a non-2xx answer throws the ResponseError the other methods throw.
 */
async function read<T>(
  answer: Promise<{ ok: boolean; json(): Promise<unknown> }>,
): Promise<T> {
  const response = await answer;
  if (!response.ok) {
    throw await ResponseError.fromResponse(response as unknown as Response);
  }
  return (await response.json()) as T;
}
