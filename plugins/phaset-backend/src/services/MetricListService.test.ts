import { Knex } from 'knex';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { RecordMetrics } from '@internal/backstage-plugin-phaset-common';
import { migratedDatabase } from '../__testUtils__/database';
import { eventRow } from '../__testUtils__/events';
import { testDatabases } from '../__testUtils__/startPhasetBackend';
import { DoraFactStore } from '../database/DoraFactStore';
import { DoraFactWorker } from './DoraFactWorker';
import { MetricListStore } from '../database/MetricListStore';
import { MetricsStore } from '../database/MetricsStore';
import { PageRequest } from '../database/paging';
import { RecordStore } from '../database/RecordStore';
import { TokenStore } from '../database/TokenStore';
import { EventRow, TABLES } from '../database/tables';
import { Window } from '../metrics/computeMetrics';
import { summaryOf } from '../metrics/statistics';
import { MetricListService } from './MetricListService';
import { MetricsService } from './MetricsService';

jest.setTimeout(180_000);

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const DAYS = 120;
const NOW = T0 + 200 * DAY;
const RECORDS = ['listrec001', 'listrec002', 'listrec003'];

/** Seeded PRNG so a failing random stream can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

/**
 * One Record's random history: changes, deployments (multi-commit
 * deliveries, some sharing an instant, some failed or to staging),
 * incidents open across windows, pull requests and reviews. Many times fall
 * on whole days, the edges of the windows below, so that a list that reads
 * one millisecond too much or too little differs from its figure.
 */
function stream(recordId: string, next: () => number): EventRow[] {
  const int = (n: number) => Math.floor(next() * n);
  // A third on a day's edge or a millisecond before it.
  const time = () => {
    const r = next();
    if (r < 0.25) return new Date(T0 + int(DAYS) * DAY);
    if (r < 0.35) return new Date(T0 + int(DAYS) * DAY - 1);
    return new Date(T0 + Math.floor(next() * DAYS * DAY));
  };
  const rows: EventRow[] = [];
  const row = (fields: Partial<EventRow> & { kind: string }) =>
    rows.push(
      eventRow({
        id: `${recordId}-${String(rows.length).padStart(5, '0')}`,
        record_id: recordId,
        raw_event_id: `raw-${recordId}-${rows.length}`,
        token_id: `${recordId}-token`,
        source: 'github',
        occurred_at: time(),
        ...fields,
      }),
    );
  let lastDeployment = time();
  for (let i = 0; i < 600; i++) {
    const r = next();
    if (r < 0.35) {
      row({ kind: 'change', commit_sha: `c${int(800)}` });
    } else if (r < 0.6) {
      // Another delivery at the instant of the previous one, at times.
      const at = next() < 0.1 ? lastDeployment : time();
      lastDeployment = at;
      const raw = `raw-${recordId}-d${i}`;
      const fields = {
        kind: 'deployment',
        raw_event_id: raw,
        occurred_at: at,
        result: next() < 0.1 ? 'failure' : 'success',
        is_production: next() < 0.9,
      };
      for (let c = 0; c < 1 + int(next() < 0.2 ? 3 : 1); c++) {
        row({ ...fields, commit_sha: `c${int(800)}` });
      }
    } else if (r < 0.75) {
      const opened = time();
      const incident = { incident_id: `i${i}`, opened_at: opened };
      row({ kind: 'incident-opened', occurred_at: opened, ...incident });
      if (next() < 0.75) {
        const resolved = new Date(
          opened.getTime() + (next() < 0.3 ? int(5) * DAY : next() * 5 * DAY),
        );
        row({
          kind: 'incident-resolved',
          occurred_at: resolved,
          resolved_at: resolved,
          ...incident,
        });
      }
    } else {
      const pr = { pr_id: `pr${int(90)}` };
      const created = time();
      const kind = ['pr-opened', 'pr-merged', 'pr-closed', 'review-approved'][
        int(4)
      ];
      const later = new Date(created.getTime() + next() * 6 * DAY);
      row({
        kind,
        ...pr,
        occurred_at: kind === 'pr-opened' ? created : later,
        pr_created_at: created,
        ...(kind === 'pr-merged' && { merged_at: later }),
        ...(kind === 'pr-closed' && { closed_at: later }),
        ...(kind === 'review-approved' && { submitted_at: later }),
        ...(kind === 'pr-opened' && {
          additions: int(300),
          deletions: int(100),
        }),
      });
    }
  }
  return rows;
}

/** Whole-day windows of many lengths, and one with fractional edges. */
function windows(next: () => number): Window[] {
  const result: Window[] = [
    { from: T0 - DAY, to: T0 + (DAYS + 1) * DAY },
    { from: T0 + 30 * DAY + 0.5, to: T0 + 60 * DAY + 0.25 },
  ];
  for (let i = 0; i < 14; i++) {
    const from = Math.floor(next() * DAYS);
    const days = 1 + Math.floor(next() * 40);
    result.push({ from: T0 + from * DAY, to: T0 + (from + days) * DAY });
  }
  return result;
}

/** Every item of a list, page after page of `limit`. */
async function all<Item>(
  read: (page: PageRequest) => Promise<{ items: Item[]; nextCursor?: string }>,
  limit = 9,
): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const page = await read({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const inWindow = (w: Window, at: string | undefined) =>
  at !== undefined && Date.parse(at) >= w.from && Date.parse(at) < w.to;
const median = (values: number[]) => summaryOf(values)?.median;
const figure = (m: { count: number } & Partial<{ median: number }>) => ({
  count: m.count,
  median: m.median,
});

/**
 * What the lists of a window add up to, in the shape of the figures of
 * /metrics/{recordId} they stand behind.
 */
async function listTotals(lists: MetricListService, id: string, w: Window) {
  const [deployments, changes, incidents, prs] = await Promise.all([
    all(page => lists.deployments(id, w, page)),
    all(page => lists.changes(id, w, page)),
    all(page => lists.incidents(id, w, page)),
    all(page => lists.pullRequests(id, w, page)),
  ]);
  const deployed = changes.filter(c => c.state === 'deployed');
  const resolved = incidents.filter(i => i.state === 'resolved');
  const recovered = resolved.filter(i => i.recoverySeconds !== undefined);
  const merged = prs.filter(pr => inWindow(w, pr.mergedAt));
  const mergeTimes = merged.flatMap(pr =>
    pr.mergeSeconds === undefined ? [] : [pr.mergeSeconds],
  );
  const reviewTimes = prs.flatMap(pr =>
    inWindow(w, pr.firstReviewAt) && pr.reviewSeconds !== undefined
      ? [pr.reviewSeconds]
      : [],
  );
  return {
    deployments: deployments.length,
    failedDeployments: deployments.filter(d => d.failed).length,
    reworkDeployments: deployments.filter(d => d.rework).length,
    shipped: deployments.reduce((n, d) => n + d.changes.count, 0),
    leadTime: {
      count: deployed.length,
      median: median(deployed.map(c => c.leadTimeSeconds!)),
    },
    timeToRestore: {
      count: resolved.length,
      median: median(resolved.map(i => i.restoreSeconds!)),
    },
    recovery: {
      count: recovered.length,
      median: median(recovered.map(i => i.recoverySeconds!)),
    },
    open: incidents
      .filter(i => i.state === 'open')
      .map(i => i.id)
      .sort(),
    pullRequestsOpened: prs.filter(pr => inWindow(w, pr.openedAt)).length,
    pullRequestsMerged: merged.length,
    mergeTime: { count: mergeTimes.length, median: median(mergeTimes) },
    reviewTime: { count: reviewTimes.length, median: median(reviewTimes) },
  };
}

/** The same totals from the figures. */
function figureTotals(metrics: RecordMetrics) {
  const { dora, engineering } = metrics;
  const cfr = dora.changeFailureRate;
  const rework = dora.reworkRate;
  return {
    deployments: dora.deploymentFrequency.deployments,
    failedDeployments: 'failedDeployments' in cfr ? cfr.failedDeployments : 0,
    reworkDeployments:
      'reworkDeployments' in rework ? rework.reworkDeployments : 0,
    shipped: dora.leadTimeForChanges.count,
    leadTime: figure(dora.leadTimeForChanges),
    timeToRestore: figure(dora.timeToRestore),
    recovery: figure(dora.failedDeploymentRecoveryTime),
    open: dora.timeToRestore.open.map(i => i.id).sort(),
    pullRequestsOpened: engineering.pullRequestsOpened,
    pullRequestsMerged: engineering.pullRequestsMerged,
    mergeTime: figure(engineering.mergeTime),
    reviewTime: figure(engineering.reviewTime),
  };
}

describe.each(testDatabases.eachSupportedId())(
  'MetricListService on %s',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    let records: RecordStore;
    let metrics: MetricsService;
    const next = random(databaseId.length * 104729);
    const cases = windows(next);

    beforeAll(async () => {
      knex = await migratedDatabase(databaseId);
      records = new RecordStore(knex);
      for (const id of RECORDS) {
        await records.create({ id, organizationId: 'org', origin: 'api' });
        const rows = stream(id, next);
        for (let i = 0; i < rows.length; i += 200) {
          await knex(TABLES.events).insert(rows.slice(i, i + 200));
        }
      }
      await knex.transaction(tx =>
        new DoraFactStore(knex).rebuild(tx, RECORDS),
      );
      metrics = new MetricsService(
        new MetricsStore(knex),
        new DoraFactWorker(new DoraFactStore(knex), console),
        records,
        async () => new Map(),
        undefined,
        () => NOW,
      );
    });
    afterAll(() => knex.destroy());

    const listsOf = (store: MetricListStore) =>
      new MetricListService(
        store,
        new DoraFactWorker(new DoraFactStore(knex), console),
        new MetricsStore(knex),
        records,
        new TokenStore(knex),
        () => NOW,
      );

    /** Every window's lists against its figures. */
    async function compare(
      store: MetricListStore,
      listWindow = (w: Window) => w,
    ) {
      const lists = listsOf(store);
      for (const id of RECORDS) {
        for (const w of cases) {
          expect({
            id,
            w,
            ...(await listTotals(lists, id, listWindow(w))),
          }).toEqual({
            id,
            w,
            ...figureTotals(await metrics.forRecord(id, w)),
          });
        }
      }
    }

    it('lists items that add up to the figures of /metrics/{recordId} in every window', async () => {
      await expect(compare(new MetricListStore(knex))).resolves.toBeUndefined();
    });

    it('fails when a list reads one millisecond less of the window (a test of the test)', async () => {
      // Reading more is harmless: the lists apply the window themselves.
      for (const bounds of [
        (w: Window): [number, number] => [
          Math.ceil(w.from) + 1,
          Math.ceil(w.to),
        ],
        (w: Window): [number, number] => [
          Math.ceil(w.from),
          Math.ceil(w.to) - 1,
        ],
      ]) {
        const mutant = new (class extends MetricListStore {
          protected bounds(w: Window) {
            return bounds(w);
          }
        })(knex);
        await expect(compare(mutant)).rejects.toThrow();
      }
    });

    it('fails when the lists take a window one millisecond off (a test of the test)', async () => {
      for (const shift of [
        (w: Window) => ({ from: w.from - 1, to: w.to }),
        (w: Window) => ({ from: w.from, to: w.to + 1 }),
        (w: Window) => ({ from: w.from + 1, to: w.to }),
      ]) {
        await expect(
          compare(new MetricListStore(knex), shift),
        ).rejects.toThrow();
      }
    });

    it('orders failed deployments first, then the latest, and the slowest changes and incidents first', async () => {
      const lists = listsOf(new MetricListStore(knex));
      // A window that ends before the last deployments: some changes wait.
      const w = { from: T0 + 10 * DAY, to: T0 + 40 * DAY };
      const page = { limit: 1000 };
      const deployments = (await lists.deployments(RECORDS[0], w, page)).items;
      const failed = deployments.filter(d => d.failed).length;
      expect(failed).toBeGreaterThan(0);
      expect(deployments.slice(0, failed).every(d => d.failed)).toBe(true);
      const times = deployments.slice(failed).map(d => d.deployedAt);
      expect(times).toEqual([...times].sort().reverse());

      const changes = (await lists.changes(RECORDS[0], w, page)).items;
      const waits = changes.map(c => c.leadTimeSeconds ?? c.waitingSeconds!);
      expect(waits.length).toBeGreaterThan(10);
      expect(waits).toEqual([...waits].sort((a, b) => b - a));
      expect(changes.some(c => c.state === 'pending')).toBe(true);

      const incidents = (await lists.incidents(RECORDS[0], w, page)).items;
      const spans = incidents.map(i => i.restoreSeconds ?? i.ageSeconds!);
      expect(spans).toEqual([...spans].sort((a, b) => b - a));
    });

    it('refuses a cursor it did not answer, naming the field, and a Record that does not exist', async () => {
      const lists = listsOf(new MetricListStore(knex));
      const w = cases[0];
      const cursor = Buffer.from(JSON.stringify(['x'])).toString('base64url');
      await expect(
        lists.deployments(RECORDS[0], w, { limit: 5, cursor }),
      ).rejects.toThrow(/^cursor:/);
      await expect(
        lists.changes('nosuchrec1', w, { limit: 5 }),
      ).rejects.toThrow(/No Record 'nosuchrec1'/);
    });
  },
);
