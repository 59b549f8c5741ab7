import { Knex } from 'knex';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { migratedDatabase } from '../__testUtils__/database';
import { eventRow, historyFacts } from '../__testUtils__/events';
import { testDatabases } from '../__testUtils__/startPhasetBackend';
import { computeEngineering, Window } from '../metrics/computeMetrics';
import { MetricsStore, numbers, PR_TIME_COLUMNS } from './MetricsStore';
import { RecordStore } from './RecordStore';
import { EventRow, TABLES } from './tables';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const DAYS = 120;

/** Seeded PRNG so a failing random stream can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

/** A store that chooses pull requests by fewer of their times: a mutant. */
const withoutTime = (column: string) =>
  class extends MetricsStore {
    protected readonly prTimes = PR_TIME_COLUMNS.filter(c => c !== column);
  };

/**
 * A random stream of one Record's pull request, review, change and comment
 * rows (and a few DORA rows the engineering metrics ignore): pull requests
 * opened, merged (sometimes twice) and closed in and out of any window, with
 * or without pr_id, with pr_created_at on some rows only, reviews before,
 * inside and after a pull request's other rows. A pull request's times are
 * mostly within ten days of each other, some anywhere; many are on whole
 * days, the edges of the windows below.
 */
function stream(recordId: string, next: () => number): EventRow[] {
  const int = (n: number) => Math.floor(next() * n);
  const onDay = (days: number) =>
    next() < 0.3 ? Math.floor(days) : Math.floor(days * DAY) / DAY;
  const time = (base = next() * DAYS) =>
    new Date(
      T0 + onDay(next() < 0.85 ? base + next() * 10 : next() * DAYS) * DAY,
    );
  const bases = new Map<string, number>();
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
  /** The fields naming a pull request, and times around its base. */
  const pr = (p: number) => {
    const source = next() < 0.8 ? 'github' : 'gitlab';
    // Some rows name no pull request: a PR of their own.
    let prId: string | null = `pr${int(80)}`;
    const r = next();
    if (r < 0.1) prId = r < 0.08 ? null : '';
    const key = `${source}:${prId}`;
    if (!bases.has(key)) bases.set(key, next() * DAYS);
    const at = () => time(bases.get(key));
    const maybe = () => (next() < p ? at() : null);
    return { fields: { source, pr_id: prId, occurred_at: at() }, maybe };
  };
  for (let i = 0; i < 500; i++) {
    const r = next();
    if (r < 0.15) {
      const { fields, maybe } = pr(0.5);
      row({
        kind: 'pr-opened',
        ...fields,
        pr_created_at: maybe(),
        additions: next() < 0.8 ? int(300) : null,
        deletions: next() < 0.8 ? int(100) : null,
        changed_files: next() < 0.7 ? 1 + int(20) : null,
      });
    } else if (r < 0.3) {
      const { fields, maybe } = pr(0.6);
      row({
        kind: 'pr-merged',
        ...fields,
        merged_at: maybe(),
        pr_created_at: maybe(),
      });
    } else if (r < 0.36) {
      const { fields, maybe } = pr(0.6);
      row({
        kind: 'pr-closed',
        ...fields,
        closed_at: maybe(),
        pr_created_at: maybe(),
      });
    } else if (r < 0.55) {
      const { fields, maybe } = pr(0.6);
      row({
        kind: next() < 0.7 ? 'review-approved' : 'review-changes',
        ...fields,
        submitted_at: maybe(),
        pr_created_at: maybe(),
      });
    } else if (r < 0.75) {
      row({
        kind: 'change',
        commit_sha: next() < 0.05 ? null : `c${int(60)}`,
      });
    } else if (r < 0.9) {
      // Comments on a pull request count by their own time only.
      row({ kind: 'comment', pr_id: next() < 0.5 ? `pr${int(80)}` : null });
    } else {
      row({
        kind: 'deployment',
        commit_sha: `c${int(60)}`,
        result: 'success',
        is_production: true,
      });
    }
  }
  return rows;
}

/** Windows on whole days, the whole range, and ones with fractional edges. */
function windows(next: () => number): Window[] {
  const result: Window[] = [
    { from: T0 - DAY, to: T0 + (DAYS + 1) * DAY },
    { from: T0 + 30 * DAY + 0.5, to: T0 + 60 * DAY + 0.25 },
  ];
  for (let i = 0; i < 40; i++) {
    const from = Math.floor(next() * DAYS);
    const days = 1 + Math.floor(next() * (i < 30 ? 30 : DAYS));
    result.push({ from: T0 + from * DAY, to: T0 + (from + days) * DAY });
  }
  return result;
}

describe('numbers', () => {
  it('reads the lists the roll-up aggregates: empty values, times before 1970', () => {
    expect(numbers('1795906308494:2,-86400000:,:7')).toEqual([
      1795906308494,
      2,
      -86400000,
      undefined,
      undefined,
      7,
    ]);
    expect(numbers('0')).toEqual([0]);
  });
});

describe.each(testDatabases.eachSupportedId())(
  'MetricsStore on %s',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    const recordIds = ['msrec00001', 'msrec00002', 'msrec00003'];
    const next = random(databaseId.length * 7919);
    const cases: Window[] = windows(next);

    beforeAll(async () => {
      knex = await migratedDatabase(databaseId);
      const records = new RecordStore(knex);
      for (const id of recordIds) {
        await records.create({ id, organizationId: 'org', origin: 'api' });
        const rows = stream(id, next);
        for (let i = 0; i < rows.length; i += 200) {
          await knex(TABLES.events).insert(rows.slice(i, i + 200));
        }
      }
    });
    afterAll(() => knex.destroy());

    /** Every window's windowed read against the fold of the whole history. */
    async function compare(store: MetricsStore) {
      for (const id of recordIds) {
        const history = await historyFacts(knex, id);
        for (const w of cases) {
          expect({
            id,
            w,
            engineering: computeEngineering(
              await store.engineeringFacts(id, w),
              w,
            ),
          }).toEqual({ id, w, engineering: computeEngineering(history, w) });
        }
      }
    }

    it("gives every window's engineering metrics of the whole history, reading only that window's pull requests", async () => {
      await compare(new MetricsStore(knex));

      // The streams exercise what makes this hard: merge and review times
      // whose pull request has rows outside the window, and short windows
      // that read a fraction of the history.
      const store = new MetricsStore(knex);
      let mergeTimes = 0;
      let reviewTimes = 0;
      let partial = 0;
      for (const id of recordIds) {
        const history = await historyFacts(knex, id);
        for (const w of cases) {
          const read = await store.engineeringFacts(id, w);
          const metrics = computeEngineering(read, w);
          mergeTimes += metrics.mergeTime.count;
          reviewTimes += metrics.reviewTime.count;
          if (read.pullRequests.length < history.pullRequests.length / 2) {
            partial++;
          }
        }
      }
      expect(mergeTimes).toBeGreaterThan(100);
      expect(reviewTimes).toBeGreaterThan(100);
      expect(partial).toBeGreaterThan(cases.length);
    });

    it.each(PR_TIME_COLUMNS.map(c => [c]))(
      'fails when pull requests are not chosen by %s too (a test of the test)',
      async column => {
        const Mutant = withoutTime(column);
        // A difference in the metrics, not a failing query.
        await expect(compare(new Mutant(knex))).rejects.toThrow(/toEqual/);
      },
    );
  },
);
