import {
  phasetMetricsRecomputePermission,
  phasetRecordReadPermission,
  PhasetApi,
} from '@internal/backstage-plugin-phaset-common';
import { StoredEvent } from '../../database/EventStore';
import { EventService } from '../../services/EventService';
import { MetricListService } from '../../services/MetricListService';
import { MetricsService } from '../../services/MetricsService';
import { RecordService } from '../../services/RecordService';
import {
  parseEngineeringSeriesMetric,
  parsePage,
  parseSeriesInterval,
  parseSeriesMetric,
  parseWindow,
  queryString,
} from './parse';
import { Authorize, PhasetRouter } from './types';

/** A stored event's columns in the API's camelCase (`commit_sha` → `commitSha`). */
export function toMetricEvent(event: StoredEvent): PhasetApi.MetricEvent {
  return Object.fromEntries(
    Object.entries(event).map(([column, value]) => [
      column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
      value,
    ]),
  ) as PhasetApi.MetricEvent;
}

/** Metric events and raw deliveries of a Record, their recomputation, and the metrics read from them. */
export function registerMetricsRoutes(
  router: PhasetRouter,
  deps: {
    authorize: Authorize;
    records: RecordService;
    events: EventService;
    metrics: MetricsService;
    metricLists: MetricListService;
    now?: () => number;
  },
) {
  const {
    authorize,
    records,
    events,
    metrics,
    metricLists,
    now = Date.now,
  } = deps;

  router.get('/records/:id/events', async (req, res) => {
    await authorize.record(req, phasetRecordReadPermission, req.params.id);
    await records.get(req.params.id);
    const page = await events.eventsPage(req.params.id, parsePage(req.query));
    res.json({ ...page, items: page.items.map(toMetricEvent) });
  });

  router.get('/records/:id/deliveries', async (req, res) => {
    await authorize.record(req, phasetRecordReadPermission, req.params.id);
    await records.get(req.params.id);
    res.json(
      await events.deliveriesPage(
        req.params.id,
        { webhookId: queryString(req.query, 'webhookId') },
        parsePage(req.query),
      ),
    );
  });

  router.post('/records/:id/events/recompute', async (req, res) => {
    await authorize.record(
      req,
      phasetMetricsRecomputePermission,
      req.params.id,
    );
    await records.get(req.params.id);
    res.json(await events.recompute(req.params.id));
  });

  /** What a roll-up page is asked for: permission first, then the query. */
  const rollupRequest = async (
    req: Parameters<Authorize['condition']>[0] & {
      query: Record<string, unknown>;
    },
  ) => {
    const readable = await authorize.condition(req, phasetRecordReadPermission);
    return [
      {
        organizationId: queryString(req.query, 'org'),
        owner: queryString(req.query, 'owner'),
      },
      parseWindow(req.query, now()),
      parsePage(req.query),
      readable,
    ] as const;
  };

  router.get('/metrics', async (req, res) => {
    res.json(await metrics.rollupRecords(...(await rollupRequest(req))));
  });

  // Before '/metrics/:recordId': a Record id has 10 characters, so 'owners'
  // is never one.
  router.get('/metrics/owners', async (req, res) => {
    res.json(await metrics.rollupOwners(...(await rollupRequest(req))));
  });

  router.get('/metrics/:recordId', async (req, res) => {
    await authorize.record(
      req,
      phasetRecordReadPermission,
      req.params.recordId,
    );
    res.json(
      await metrics.forRecord(
        req.params.recordId,
        parseWindow(req.query, now()),
      ),
    );
  });

  router.get('/metrics/:recordId/series', async (req, res) => {
    await authorize.record(
      req,
      phasetRecordReadPermission,
      req.params.recordId,
    );
    const window = parseWindow(req.query, now());
    res.json(
      await metrics.series(
        req.params.recordId,
        parseSeriesMetric(req.query.metric),
        parseSeriesInterval(req.query.interval ?? 'week'),
        window,
      ),
    );
  });

  router.get('/metrics/:recordId/engineering-series', async (req, res) => {
    await authorize.record(
      req,
      phasetRecordReadPermission,
      req.params.recordId,
    );
    const window = parseWindow(req.query, now());
    res.json(
      await metrics.engineeringSeries(
        req.params.recordId,
        parseEngineeringSeriesMetric(req.query.metric),
        parseSeriesInterval(req.query.interval ?? 'week'),
        window,
      ),
    );
  });

  // The lists behind the numbers, for the same window.
  router.get('/metrics/:recordId/deployments', async (req, res) => {
    await authorize.record(
      req,
      phasetRecordReadPermission,
      req.params.recordId,
    );
    res.json(
      await metricLists.deployments(
        req.params.recordId,
        parseWindow(req.query, now()),
        parsePage(req.query),
      ),
    );
  });

  router.get('/metrics/:recordId/changes', async (req, res) => {
    await authorize.record(
      req,
      phasetRecordReadPermission,
      req.params.recordId,
    );
    res.json(
      await metricLists.changes(
        req.params.recordId,
        parseWindow(req.query, now()),
        parsePage(req.query),
      ),
    );
  });

  router.get('/metrics/:recordId/incidents', async (req, res) => {
    await authorize.record(
      req,
      phasetRecordReadPermission,
      req.params.recordId,
    );
    res.json(
      await metricLists.incidents(
        req.params.recordId,
        parseWindow(req.query, now()),
        parsePage(req.query),
      ),
    );
  });

  router.get('/metrics/:recordId/coverage', async (req, res) => {
    await authorize.record(
      req,
      phasetRecordReadPermission,
      req.params.recordId,
    );
    res.json(
      await metricLists.coverage(
        req.params.recordId,
        parseWindow(req.query, now()),
      ),
    );
  });

  router.get('/metrics/:recordId/pull-requests', async (req, res) => {
    await authorize.record(
      req,
      phasetRecordReadPermission,
      req.params.recordId,
    );
    res.json(
      await metricLists.pullRequests(
        req.params.recordId,
        parseWindow(req.query, now()),
        parsePage(req.query),
      ),
    );
  });
}
