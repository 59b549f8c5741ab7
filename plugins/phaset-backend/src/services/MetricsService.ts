import { InputError, NotFoundError } from '@backstage/errors';
import {
  DEFAULT_DORA_TIERS,
  DoraMetrics,
  DoraTierThresholds,
  DurationMetric,
  EngineeringMetrics,
  RecordMetrics,
} from '@internal/backstage-plugin-phaset-common';
import { MetricsStore } from '../database/MetricsStore';
import { RecordStore, StoredRecord } from '../database/RecordStore';
import type { DoraFactWorker } from './DoraFactWorker';
import type { RollupSummaries } from './HealthService';
import type { RecordCondition } from '../permissions/RecordAuthorizer';
import { toRecordResource } from '../permissions/RecordResources';
import { samplesFromDoraFacts } from '../metrics/doraFacts';
import {
  computeEngineering,
  DoraSamples,
  poolDoraSamples,
  summarizeDora,
  Window,
  windowOf,
} from '../metrics/computeMetrics';

/** Keeps a series request from asking for millions of buckets. */
const MAX_BUCKETS = 1000;

const median = (m: DurationMetric | EngineeringMetrics['reviewSize']) =>
  'median' in m ? m.median : null;

export const SERIES_METRICS = {
  deployments: (d: DoraMetrics) => d.deploymentFrequency.deployments,
  leadTimeForChanges: (d: DoraMetrics) => median(d.leadTimeForChanges),
  changeFailureRate: (d: DoraMetrics) => d.changeFailureRate.value,
  reworkRate: (d: DoraMetrics) => d.reworkRate.value,
  failedDeploymentRecoveryTime: (d: DoraMetrics) =>
    median(d.failedDeploymentRecoveryTime),
  timeToRestore: (d: DoraMetrics) => median(d.timeToRestore),
} as const;

export type SeriesMetric = keyof typeof SERIES_METRICS;

/** The engineering metrics a chart shows per bucket; durations as medians. */
export const ENGINEERING_SERIES_METRICS = {
  changes: (e: EngineeringMetrics) => e.changes,
  pullRequestsOpened: (e: EngineeringMetrics) => e.pullRequestsOpened,
  pullRequestsMerged: (e: EngineeringMetrics) => e.pullRequestsMerged,
  pullRequestsClosed: (e: EngineeringMetrics) => e.pullRequestsClosed,
  reviewsApproved: (e: EngineeringMetrics) => e.reviewsApproved,
  reviewsChangesRequested: (e: EngineeringMetrics) => e.reviewsChangesRequested,
  comments: (e: EngineeringMetrics) => e.comments,
  mergeTime: (e: EngineeringMetrics) => median(e.mergeTime),
  reviewTime: (e: EngineeringMetrics) => median(e.reviewTime),
  reviewSize: (e: EngineeringMetrics) => median(e.reviewSize),
} as const;

export type EngineeringSeriesMetric = keyof typeof ENGINEERING_SERIES_METRICS;
export const SERIES_INTERVALS = ['day', 'week', 'month'] as const;
export type SeriesInterval = (typeof SERIES_INTERVALS)[number];

/** Bucket boundaries, aligned to UTC days, ISO weeks (Monday) or months. */
function buckets(w: Window, interval: SeriesInterval): Window[] {
  const start = new Date(w.from);
  start.setUTCHours(0, 0, 0, 0);
  if (interval === 'week') {
    start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  } else if (interval === 'month') {
    start.setUTCDate(1);
  }
  const result: Window[] = [];
  for (let cursor = start; cursor.getTime() < w.to; ) {
    const next = new Date(cursor);
    if (interval === 'day') next.setUTCDate(next.getUTCDate() + 1);
    else if (interval === 'week') next.setUTCDate(next.getUTCDate() + 7);
    else next.setUTCMonth(next.getUTCMonth() + 1);
    result.push({
      from: Math.max(cursor.getTime(), w.from),
      to: Math.min(next.getTime(), w.to),
    });
    if (result.length > MAX_BUCKETS) {
      throw new InputError(
        `interval: more than ${MAX_BUCKETS} buckets; widen the interval`,
      );
    }
    cursor = next;
  }
  return result;
}

/** `lastDeploymentAt` of an answer, when there is one. */
const lastDeployment = (at: number | undefined) =>
  at === undefined ? {} : { lastDeploymentAt: new Date(at).toISOString() };

/** Owner of a Record as the catalog knows it, when it is linked. */
export type OwnerLookup = (
  records: StoredRecord[],
) => Promise<Map<string, string>>;

/** Each Record's latest Standards counts and Health Score, for the roll-up. */
export type SummaryLookup = (
  records: StoredRecord[],
  owners: Map<string, string>,
) => Promise<RollupSummaries>;

/** DORA and engineering metrics of Records, by the definitions of docs/metrics.md. */
export class MetricsService {
  constructor(
    private readonly store: MetricsStore,
    /** Folds queued events into the facts before they are read. */
    private readonly facts: Pick<DoraFactWorker, 'catchUp'>,
    private readonly records: RecordStore,
    private readonly ownersOf: OwnerLookup,
    private readonly tiers: DoraTierThresholds = DEFAULT_DORA_TIERS,
    private readonly now: () => number = Date.now,
    private readonly summariesOf: SummaryLookup = async () => ({
      byRecord: new Map(),
      byOwner: new Map(),
    }),
  ) {}

  /** The Record's DORA facts of the window, with every acknowledged event folded in. */
  private async doraFacts(recordId: string, window: Window) {
    await this.facts.catchUp([recordId]);
    return (await this.store.doraFacts([recordId], window)).get(recordId)!;
  }

  private async record(recordId: string): Promise<StoredRecord> {
    const record = await this.records.get(recordId);
    if (!record) {
      throw new NotFoundError(`No Record '${recordId}'`);
    }
    return record;
  }

  async forRecord(recordId: string, window: Window): Promise<RecordMetrics> {
    // The reads of a Record that does not exist find nothing and are dropped.
    const [, facts, doraFacts] = await Promise.all([
      this.record(recordId),
      this.store.engineeringFacts(recordId, window),
      this.doraFacts(recordId, window),
    ]);
    return {
      recordId,
      window: windowOf(window),
      ...lastDeployment(doraFacts.lastDeploymentAt),
      dora: summarizeDora(
        samplesFromDoraFacts(doraFacts, window),
        this.now(),
        this.tiers,
      ),
      engineering: computeEngineering(facts, window),
    };
  }

  async series(
    recordId: string,
    metric: SeriesMetric,
    interval: SeriesInterval,
    window: Window,
  ) {
    const pick = SERIES_METRICS[metric];
    const spans = buckets(window, interval);
    await this.record(recordId);
    const facts = await this.doraFacts(recordId, window);
    const now = this.now();
    return {
      recordId,
      metric,
      interval,
      window: windowOf(window),
      points: spans.map(span => ({
        from: new Date(span.from).toISOString(),
        to: new Date(span.to).toISOString(),
        value: pick(
          summarizeDora(samplesFromDoraFacts(facts, span), now, this.tiers),
        ),
      })),
    };
  }

  /**
   * One engineering metric per bucket, from one read of the window: the
   * window's facts hold every bucket's (engineeringFacts reads each pull
   * request with a time in the window whole).
   */
  async engineeringSeries(
    recordId: string,
    metric: EngineeringSeriesMetric,
    interval: SeriesInterval,
    window: Window,
  ) {
    const pick = ENGINEERING_SERIES_METRICS[metric];
    const spans = buckets(window, interval);
    await this.record(recordId);
    const facts = await this.store.engineeringFacts(recordId, window);
    return {
      recordId,
      metric,
      interval,
      window: windowOf(window),
      points: spans.map(span => ({
        from: new Date(span.from).toISOString(),
        to: new Date(span.to).toISOString(),
        value: pick(computeEngineering(facts, span)),
      })),
    };
  }

  /**
   * One row per Record and one per owner, for ranking teams; only the Records
   * that pass `readable` (the caller's permission) count.
   */
  async rollup(
    filter: { organizationId?: string; owner?: string },
    window: Window,
    readable: RecordCondition = undefined,
  ) {
    const all = await this.records.list({
      organizationId: filter.organizationId,
    });
    const owners = await this.ownersOf(all);
    const records = all.filter(
      r =>
        (!filter.owner || owners.get(r.id) === filter.owner) &&
        (!readable || readable(toRecordResource(r, owners.get(r.id)))),
    );
    // Only DORA is rolled up: its facts of the window, once folded.
    await this.facts.catchUp();
    const [{ facts, leadTimes }, summaries] = await Promise.all([
      this.store.rollupFacts(
        records.map(r => r.id),
        owners,
        window,
      ),
      this.summariesOf(records, owners),
    ]);
    const now = this.now();
    const samplesByOwner = new Map<string, DoraSamples[]>();
    const lastByOwner = new Map<string, number>();
    const rows = records.map(record => {
      const recordFacts = facts.get(record.id)!;
      const samples = samplesFromDoraFacts(recordFacts, window);
      const owner = owners.get(record.id);
      const last = recordFacts.lastDeploymentAt;
      if (owner) {
        const list = samplesByOwner.get(owner) ?? [];
        list.push(samples);
        samplesByOwner.set(owner, list);
        if (last !== undefined && !(lastByOwner.get(owner)! >= last)) {
          lastByOwner.set(owner, last);
        }
      }
      return {
        recordId: record.id,
        organizationId: record.organizationId,
        entityRef: record.entityRef,
        owner,
        ...lastDeployment(last),
        ...summaries.byRecord.get(record.id),
        dora: leadTimes
          ? summarizeDora(
              samples,
              now,
              this.tiers,
              leadTimes.byRecord.get(record.id) ?? null,
            )
          : summarizeDora(samples, now, this.tiers),
      };
    });
    return {
      window: windowOf(window),
      records: rows,
      owners: [...samplesByOwner].map(([owner, samples]) => {
        const pooled = poolDoraSamples(samples, window);
        return {
          owner,
          records: samples.length,
          ...lastDeployment(lastByOwner.get(owner)),
          ...(summaries.byOwner.has(owner) && {
            health: summaries.byOwner.get(owner),
          }),
          dora: leadTimes
            ? summarizeDora(
                pooled,
                now,
                this.tiers,
                leadTimes.byOwner.get(owner) ?? null,
              )
            : summarizeDora(pooled, now, this.tiers),
        };
      }),
    };
  }
}
