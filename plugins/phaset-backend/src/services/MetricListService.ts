import { NotFoundError } from '@backstage/errors';
import { MetricListStore } from '../database/MetricListStore';
import { MetricsStore } from '../database/MetricsStore';
import { Page, PageRequest } from '../database/paging';
import type { DoraFactWorker } from './DoraFactWorker';
import { RecordStore } from '../database/RecordStore';
import { TokenStore } from '../database/TokenStore';
import { telemetryCoverage } from '../metrics/coverage';
import { Window, windowOf } from '../metrics/computeMetrics';
import {
  changeItems,
  ChangeItem,
  deploymentItems,
  DeploymentItem,
  incidentItems,
  IncidentItem,
  pullRequestItems,
  PullRequestItem,
} from '../metrics/drillDown';
import { sortedPage } from './sortedPage';

type ListPage<Item> = Page<Item> & {
  recordId: string;
  window: ReturnType<typeof windowOf>;
};

/**
 * The lists behind a Record's metrics for a window (docs/metrics.md,
 * "Drill-down"): its deployments, changes, incidents and pull requests,
 * paged, each item with its source and link where the tool gave one.
 */
export class MetricListService {
  constructor(
    private readonly lists: MetricListStore,
    /** Folds queued events into the facts before they are read. */
    private readonly facts: Pick<DoraFactWorker, 'catchUp'>,
    private readonly metrics: MetricsStore,
    private readonly records: RecordStore,
    private readonly tokens: TokenStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * What of the window's telemetry the metrics can use: deployments naming
   * their commit, changes that reached a deployment, incidents linked to
   * one, each webhook's last delivery, and hints on what is missing.
   */
  async coverage(recordId: string, window: Window) {
    await this.folded(recordId);
    const [deployments, changes, incidents, tokens] = await Promise.all([
      this.lists.deploymentEvents(recordId, window),
      this.lists.changes(recordId, window),
      this.lists.incidents(recordId, window),
      // A Record has a handful of tokens; the first thousand say enough.
      this.tokens.page(recordId, { limit: 1000 }),
    ]);
    return {
      recordId,
      window: windowOf(window),
      ...telemetryCoverage(
        {
          deployments,
          changes,
          incidents,
          webhooks: tokens.items.map(t => ({
            source: t.source,
            ...(t.lastDeliveryAt && { lastDeliveryAt: t.lastDeliveryAt }),
            deliveriesAccepted: t.deliveriesAccepted,
            deliveriesRejected: t.deliveriesRejected,
          })),
        },
        window,
        this.now(),
      ),
    };
  }

  private page<Item>(
    recordId: string,
    window: Window,
    page: Page<Item>,
  ): ListPage<Item> {
    return { recordId, window: windowOf(window), ...page };
  }

  private async exists(recordId: string) {
    if (!(await this.records.get(recordId))) {
      throw new NotFoundError(`No Record '${recordId}'`);
    }
  }

  /** The Record exists, and every acknowledged event is folded into its facts. */
  private async folded(recordId: string) {
    await Promise.all([this.exists(recordId), this.facts.catchUp([recordId])]);
  }

  async deployments(
    recordId: string,
    window: Window,
    request: PageRequest,
  ): Promise<ListPage<DeploymentItem>> {
    await this.folded(recordId);
    const [events, changes, incidents] = await Promise.all([
      this.lists.deploymentEvents(recordId, window),
      this.lists.changes(recordId, window),
      this.lists.incidents(recordId, window),
    ]);
    return this.page(
      recordId,
      window,
      sortedPage(deploymentItems(events, changes, incidents, window), request),
    );
  }

  async changes(
    recordId: string,
    window: Window,
    request: PageRequest,
  ): Promise<ListPage<ChangeItem>> {
    await this.folded(recordId);
    const changes = await this.lists.changes(recordId, window);
    const page = sortedPage(changeItems(changes, window, this.now()), request);
    const links = await this.lists.changeLinks(
      recordId,
      page.items.map(item => item.commitSha),
    );
    return this.page(recordId, window, {
      ...page,
      items: page.items.map(item => ({
        ...item,
        ...links.get(item.commitSha),
      })),
    });
  }

  async incidents(
    recordId: string,
    window: Window,
    request: PageRequest,
  ): Promise<ListPage<IncidentItem>> {
    await this.folded(recordId);
    const incidents = await this.lists.incidents(recordId, window);
    const page = sortedPage(
      incidentItems(incidents, window, this.now()),
      request,
    );
    const links = await this.lists.incidentLinks(
      recordId,
      page.items.map(item => `${item.source}:${item.id}`),
    );
    return this.page(recordId, window, {
      ...page,
      items: page.items.map(item => ({
        ...item,
        url: links.get(`${item.source}:${item.id}`)?.url,
      })),
    });
  }

  async pullRequests(
    recordId: string,
    window: Window,
    request: PageRequest,
  ): Promise<ListPage<PullRequestItem>> {
    const [, facts] = await Promise.all([
      this.exists(recordId),
      this.metrics.engineeringFacts(recordId, window),
    ]);
    const page = sortedPage(
      pullRequestItems(facts, window, this.now()),
      request,
    );
    const links = await this.lists.pullRequestLinks(
      recordId,
      page.items.map(item => item.id),
    );
    return this.page(recordId, window, {
      ...page,
      items: page.items.map(item => ({
        ...item,
        source: item.source ?? links.get(item.id)?.source,
        url: links.get(item.id)?.url,
      })),
    });
  }
}
