import { InputError, NotFoundError } from '@backstage/errors';
import {
  DEFAULT_DORA_TIERS,
  DoraMetrics,
  DoraTierThresholds,
  RecordMetrics,
} from '@internal/backstage-plugin-phaset-common';
import { MetricsStore } from '../database/MetricsStore';
import { RecordStore, StoredRecord } from '../database/RecordStore';
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

export const SERIES_METRICS = {
  deployments: (d: DoraMetrics) => d.deploymentFrequency.deployments,
  leadTimeForChanges: (d: DoraMetrics) =>
    'median' in d.leadTimeForChanges ? d.leadTimeForChanges.median : null,
  changeFailureRate: (d: DoraMetrics) => d.changeFailureRate.value,
  failedDeploymentRecoveryTime: (d: DoraMetrics) =>
    'median' in d.failedDeploymentRecoveryTime
      ? d.failedDeploymentRecoveryTime.median
      : null,
  timeToRestore: (d: DoraMetrics) =>
    'median' in d.timeToRestore ? d.timeToRestore.median : null,
} as const;

export type SeriesMetric = keyof typeof SERIES_METRICS;
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

/** Owner of a Record as the catalog knows it, when it is linked. */
export type OwnerLookup = (
  records: StoredRecord[],
) => Promise<Map<string, string>>;

/** DORA and engineering metrics of Records, by the definitions of docs/metrics.md. */
export class MetricsService {
  constructor(
    private readonly store: MetricsStore,
    private readonly records: RecordStore,
    private readonly ownersOf: OwnerLookup,
    private readonly tiers: DoraTierThresholds = DEFAULT_DORA_TIERS,
    private readonly now: () => number = Date.now,
  ) {}

  private async record(recordId: string): Promise<StoredRecord> {
    const record = await this.records.get(recordId);
    if (!record) {
      throw new NotFoundError(`No Record '${recordId}'`);
    }
    return record;
  }

  async forRecord(recordId: string, window: Window): Promise<RecordMetrics> {
    // The reads of a Record that does not exist find nothing and are dropped.
    const [, facts, dora] = await Promise.all([
      this.record(recordId),
      this.store.engineeringFacts(recordId, window),
      this.store.doraFacts([recordId], window),
    ]);
    return {
      recordId,
      window: windowOf(window),
      dora: summarizeDora(
        samplesFromDoraFacts(dora.get(recordId)!, window),
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
    const facts = (await this.store.doraFacts([recordId], window)).get(
      recordId,
    )!;
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
    // Only DORA is rolled up: its facts of the window, kept at ingestion.
    const { facts, leadTimes } = await this.store.rollupFacts(
      records.map(r => r.id),
      owners,
      window,
    );
    const now = this.now();
    const samplesByOwner = new Map<string, DoraSamples[]>();
    const rows = records.map(record => {
      const samples = samplesFromDoraFacts(facts.get(record.id)!, window);
      const owner = owners.get(record.id);
      if (owner) {
        const list = samplesByOwner.get(owner) ?? [];
        list.push(samples);
        samplesByOwner.set(owner, list);
      }
      return {
        recordId: record.id,
        organizationId: record.organizationId,
        entityRef: record.entityRef,
        owner,
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
