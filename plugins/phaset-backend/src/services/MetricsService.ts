import { InputError, NotFoundError } from '@backstage/errors';
import {
  DEFAULT_DORA_TIERS,
  DoraMetrics,
  DoraTierThresholds,
  DurationMetric,
  EngineeringMetrics,
  PhasetApi,
  RecordMetrics,
} from '@internal/backstage-plugin-phaset-common';
import { Page, PageRequest } from '../database/paging';
import { MetricsStore } from '../database/MetricsStore';
import { RecordStore, StoredRecord } from '../database/RecordStore';
import type { DoraFactWorker } from './DoraFactWorker';
import type { RollupSummaries } from './HealthService';
import type { RecordCondition } from '../permissions/RecordAuthorizer';
import { toRecordResource } from '../permissions/RecordResources';
import { cursorAfter, sortedPage } from './sortedPage';
import { samplesFromDoraFacts } from '../metrics/doraFacts';
import {
  computeEngineering,
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

/** Which Records a roll-up covers: an organisation's, an owner's. */
export type RollupFilter = { organizationId?: string; owner?: string };

/** The API's roll-up rows, with the DORA metrics as phaset-common types them. */
type WithDora<Row> = Omit<Row, 'dora'> & { dora: DoraMetrics };

export type RollupRecordPage = Page<WithDora<PhasetApi.RollupRecord>> & {
  window: PhasetApi.MetricsWindow;
};

export type RollupOwnerPage = Page<WithDora<PhasetApi.RollupOwner>> & {
  window: PhasetApi.MetricsWindow;
};

/** Whether a Record with this owner is one the roll-up covers and the caller may read. */
function inRollup(
  filter: RollupFilter,
  readable: RecordCondition,
  record: StoredRecord,
  owner: string | undefined,
): boolean {
  return (
    (!filter.owner || owner === filter.owner) &&
    (!readable || readable(toRecordResource(record, owner)))
  );
}

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
    // Usually nothing is queued: one statement reads the facts and checks.
    const folded = await this.store.doraFactsIfFolded(recordId, window);
    if (folded) return folded;
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

  /** The Records of the roll-up the caller may read, with their owners. */
  private async rollupScope(
    filter: RollupFilter,
    readable: RecordCondition,
  ): Promise<{ records: StoredRecord[]; owners: Map<string, string> }> {
    const all = await this.records.list({
      organizationId: filter.organizationId,
    });
    const owners = await this.ownersOf(all);
    const records = all.filter(r =>
      inRollup(filter, readable, r, owners.get(r.id)),
    );
    return { records, owners };
  }

  /**
   * What a page of the roll-up is computed from: the DORA facts of the
   * window of its Records (once folded), their lead times summarised per
   * Record or per owner (as the page shows them), and their Standards and
   * Health.
   */
  private async rollupInputs(
    records: StoredRecord[],
    owners: Map<string, string>,
    window: Window,
    leadTimesBy: 'record' | 'owner',
  ) {
    const ids = records.map(r => r.id);
    await this.facts.catchUp(ids);
    const [{ facts, leadTimes }, summaries] = await Promise.all([
      this.store.rollupFacts(
        ids,
        window,
        leadTimesBy === 'owner' ? owners : undefined,
      ),
      this.summariesOf(records, owners),
    ]);
    return { facts, leadTimes, summaries, now: this.now() };
  }

  /**
   * One page of the roll-up's Records, by id: each Record's DORA summary,
   * last deployment, Standards and Health. Only the Records that pass
   * `readable` (the caller's permission) count; only the page's Records are
   * read, so that a page costs the same with 100 or 10,000 Records.
   */
  async rollupRecords(
    filter: RollupFilter,
    window: Window,
    page: PageRequest,
    readable: RecordCondition = undefined,
  ): Promise<RollupRecordPage> {
    const {
      records: shown,
      owners,
      nextCursor,
    } = await this.readableRecordPage(filter, page, readable);
    const { facts, leadTimes, summaries, now } = await this.rollupInputs(
      shown,
      owners,
      window,
      'record',
    );
    return {
      window: windowOf(window),
      items: shown.map(record => {
        const recordFacts = facts.get(record.id)!;
        const samples = samplesFromDoraFacts(recordFacts, window);
        return {
          recordId: record.id,
          organizationId: record.organizationId,
          entityRef: record.entityRef,
          owner: owners.get(record.id),
          ...lastDeployment(recordFacts.lastDeploymentAt),
          ...summaries.byRecord.get(record.id),
          dora: leadTimes
            ? summarizeDora(
                samples,
                now,
                this.tiers,
                leadTimes.get(record.id) ?? null,
              )
            : summarizeDora(samples, now, this.tiers),
        };
      }),
      ...(nextCursor && { nextCursor }),
    };
  }

  /**
   * One page of the Records the caller may read, by id, with their owners.
   * Records are read, and their owners asked of the catalog, a page's worth
   * at a time from the cursor on until the page is full, so that a page
   * costs about the same with 1,000 Records or 10,000.
   */
  private async readableRecordPage(
    filter: RollupFilter,
    page: PageRequest,
    readable: RecordCondition,
  ) {
    const shown: StoredRecord[] = [];
    const owners = new Map<string, string>();
    let cursor = page.cursor;
    do {
      const candidates = await this.records.page(
        { organizationId: filter.organizationId },
        { limit: page.limit + 1, cursor },
      );
      const ownerOf = await this.ownersOf(candidates.items);
      for (const record of candidates.items) {
        const owner = ownerOf.get(record.id);
        if (inRollup(filter, readable, record, owner)) {
          shown.push(record);
          if (owner) owners.set(record.id, owner);
        }
      }
      cursor = candidates.nextCursor;
    } while (cursor !== undefined && shown.length <= page.limit);
    const records = shown.slice(0, page.limit);
    return {
      records,
      owners,
      nextCursor:
        shown.length > page.limit
          ? cursorAfter([records[records.length - 1].id])
          : undefined,
    };
  }

  /**
   * One page of the roll-up's owners, by entity reference: per owner its
   * Records' samples pooled, the latest deployment and the mean Health
   * Score. Only readable Records count, and an owner none of whose Records
   * is readable is not listed.
   */
  async rollupOwners(
    filter: RollupFilter,
    window: Window,
    page: PageRequest,
    readable: RecordCondition = undefined,
  ): Promise<RollupOwnerPage> {
    const { records, owners } = await this.rollupScope(filter, readable);
    const recordsByOwner = new Map<string, StoredRecord[]>();
    for (const record of records) {
      const owner = owners.get(record.id);
      if (owner) {
        const ofOwner = recordsByOwner.get(owner);
        if (ofOwner) ofOwner.push(record);
        else recordsByOwner.set(owner, [record]);
      }
    }
    const { items, nextCursor } = sortedPage(
      [...recordsByOwner].map(([owner, ofOwner]) => ({
        owner,
        records: ofOwner,
        sortKey: [owner],
      })),
      page,
    );
    const { facts, leadTimes, summaries, now } = await this.rollupInputs(
      items.flatMap(item => item.records),
      owners,
      window,
      'owner',
    );
    return {
      window: windowOf(window),
      items: items.map(({ owner, records: ofOwner }) => {
        const ownerFacts = ofOwner.map(record => facts.get(record.id)!);
        const last = Math.max(
          ...ownerFacts.map(f => f.lastDeploymentAt ?? -Infinity),
        );
        const pooled = poolDoraSamples(
          ownerFacts.map(f => samplesFromDoraFacts(f, window)),
          window,
        );
        return {
          owner,
          records: ofOwner.length,
          ...lastDeployment(Number.isFinite(last) ? last : undefined),
          ...(summaries.byOwner.has(owner) && {
            health: summaries.byOwner.get(owner),
          }),
          dora: leadTimes
            ? summarizeDora(
                pooled,
                now,
                this.tiers,
                leadTimes.get(owner) ?? null,
              )
            : summarizeDora(pooled, now, this.tiers),
        };
      }),
      ...(nextCursor && { nextCursor }),
    };
  }
}
