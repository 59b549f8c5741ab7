import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { MetricsFacts, Window } from '../metrics/computeMetrics';
import { DoraFacts } from '../metrics/doraFacts';
import { Summary } from '../metrics/statistics';
import {
  DbMillis,
  DbTime,
  EVENT_TIME_COLUMNS,
  EventColumn,
  EventRow,
  TABLES,
} from './tables';
import { toDate } from './time';

/** The columns of `phaset_events` the metrics read. */
export const FACT_COLUMNS = [
  'id',
  'record_id',
  'raw_event_id',
  'source',
  'kind',
  'occurred_at',
  'commit_sha',
  'result',
  'is_production',
  'incident_id',
  'opened_at',
  'resolved_at',
  'pr_id',
  'pr_created_at',
  'merged_at',
  'closed_at',
  'submitted_at',
  'additions',
  'deletions',
  'changed_files',
] as const satisfies ReadonlyArray<EventColumn>;

type FactColumn = (typeof FACT_COLUMNS)[number];
type TimeColumn = FactColumn & (typeof EVENT_TIME_COLUMNS)[number];

/**
 * A row as read back: times as the drivers return them, booleans as SQLite's
 * 0/1. The roll-up's queries select only some of the columns.
 */
export type FactRow = {
  [C in Exclude<FactColumn, TimeColumn | 'is_production'>]: EventRow[C];
} & {
  [C in TimeColumn]: C extends 'occurred_at' ? DbTime : DbTime | null;
} & { is_production: boolean | number | null };

const ms = (value: DbTime | null) =>
  value === null ? undefined : toDate(value).getTime();
const num = (value: number | null) =>
  value === null ? undefined : Number(value);

const emptyFacts = (): MetricsFacts => ({
  deployments: [],
  changes: [],
  incidents: [],
  pullRequests: [],
  reviews: [],
  comments: [],
});

/** Folds one Record's stored events into the facts the metrics are defined on. */
export function factsFromRows(rows: FactRow[]): MetricsFacts {
  const facts = emptyFacts();
  const deployments = new Map<string, { at: number; commitShas: string[] }>();
  const incidents = new Map<
    string,
    { id: string; openedAt?: number; resolvedAt?: number }
  >();
  const prs = new Map<string, MetricsFacts['pullRequests'][number]>();
  const pr = (row: FactRow) => {
    // Events that name no PR stand for a PR of their own.
    const key = row.pr_id ? `${row.source}:${row.pr_id}` : row.id;
    let entry = prs.get(key);
    if (!entry) {
      entry = { id: key };
      prs.set(key, entry);
    }
    return entry;
  };

  for (const row of rows) {
    const at = ms(row.occurred_at)!;
    switch (row.kind) {
      case 'change':
        if (row.commit_sha)
          facts.changes.push({ at, commitSha: row.commit_sha });
        break;
      case 'deployment':
        if (row.result === 'success' && Boolean(row.is_production)) {
          // The commits of one delivery (a multi-repo deployment) are one deployment.
          const key = `${row.raw_event_id}:${at}`;
          const deployment = deployments.get(key) ?? { at, commitShas: [] };
          if (row.commit_sha) deployment.commitShas.push(row.commit_sha);
          deployments.set(key, deployment);
        }
        break;
      case 'incident-opened':
      case 'incident-resolved': {
        const key = `${row.source}:${row.incident_id}`;
        const incident = incidents.get(key) ?? { id: row.incident_id ?? key };
        const opened =
          ms(row.opened_at) ??
          (row.kind === 'incident-opened' ? at : undefined);
        if (
          opened !== undefined &&
          (incident.openedAt === undefined || row.kind === 'incident-opened')
        ) {
          incident.openedAt = opened;
        }
        const resolved = ms(row.resolved_at);
        if (resolved !== undefined) incident.resolvedAt = resolved;
        incidents.set(key, incident);
        break;
      }
      case 'pr-opened': {
        const entry = pr(row);
        entry.openedAt = at;
        entry.createdAt = ms(row.pr_created_at) ?? entry.createdAt ?? at;
        entry.additions = num(row.additions);
        entry.deletions = num(row.deletions);
        entry.changedFiles = num(row.changed_files);
        break;
      }
      case 'pr-merged': {
        const entry = pr(row);
        entry.mergedAt = ms(row.merged_at) ?? at;
        entry.createdAt = entry.createdAt ?? ms(row.pr_created_at);
        break;
      }
      case 'pr-closed': {
        const entry = pr(row);
        entry.closedAt = ms(row.closed_at) ?? at;
        entry.createdAt = entry.createdAt ?? ms(row.pr_created_at);
        break;
      }
      case 'review-approved':
      case 'review-changes':
        facts.reviews.push({
          prId: row.pr_id ? `${row.source}:${row.pr_id}` : undefined,
          verdict: row.kind === 'review-approved' ? 'approved' : 'changes',
          submittedAt: ms(row.submitted_at) ?? at,
          prCreatedAt: ms(row.pr_created_at),
        });
        break;
      case 'comment':
        facts.comments.push({ at });
        break;
      default:
        break;
    }
  }
  for (const incident of incidents.values()) {
    if (incident.openedAt !== undefined) {
      facts.incidents.push({
        id: incident.id,
        openedAt: incident.openedAt,
        resolvedAt: incident.resolvedAt,
      });
    }
  }
  facts.pullRequests = [...prs.values()];
  facts.deployments = [...deployments.values()];
  return facts;
}

/** The kinds factsFromRows folds into pull requests and reviews. */
const PR_KINDS_SQL = [
  'pr-opened',
  'pr-merged',
  'pr-closed',
  'review-approved',
  'review-changes',
]
  .map(kind => `'${kind}'`)
  .join(', ');

/** The times that place a pull request's or review's row in a window. */
export const PR_TIME_COLUMNS = [
  'occurred_at',
  'pr_created_at',
  'merged_at',
  'closed_at',
  'submitted_at',
] as const;

/** Records per query of the roll-up: keeps bindings under SQLite's limit. */
const DORA_CHUNK = 1000;

const placeholders = (values: unknown[]) => values.map(() => '?').join(', ');

const millis = (value: DbMillis | null) =>
  value === null ? undefined : Number(value);

const [COMMA, COLON, MINUS, ZERO] = [',', ':', '-', '0'].map(c =>
  c.charCodeAt(0),
);

/**
 * The numbers of a list like `1:2,3:,-5:6`, in order (an empty one
 * undefined), read without a string per number: a year's roll-up parses
 * ~200,000 of them.
 */
export function numbers(list: string): Array<number | undefined> {
  const result: Array<number | undefined> = [];
  let value = 0;
  let sign = 1;
  let empty = true;
  for (let i = 0; i <= list.length; i++) {
    const c = i < list.length ? list.charCodeAt(i) : COMMA;
    if (c === COMMA || c === COLON) {
      result.push(empty ? undefined : sign * value);
      value = 0;
      sign = 1;
      empty = true;
    } else if (c === MINUS) {
      sign = -1;
    } else {
      value = value * 10 + (c - ZERO);
      empty = false;
    }
  }
  return result;
}

/** One row of the DORA facts read: which table it is from, and its values. */
type DoraFactRead = {
  fact:
    | 'ever'
    | 'deployments'
    | 'changes'
    | 'incident'
    | 'incidents'
    | 'pending';
  record_id: string;
  a: DbMillis | null;
  b: DbMillis | null;
  c: DbMillis | null;
  /**
   * `a:b,a:b,...` of the Record's deployments (at:count) or changes
   * (changed:deployed), or `a:b:c,...` of its incidents (opened:resolved:linked).
   */
  list: string | null;
  incident_key: string | null;
  id: string | null;
};

/** Lead-time summaries by Record id, or by owner (pooling its Records). */
export type LeadTimeSummaries = Map<string, Summary>;

type LeadTimeRow = {
  key: string;
  count: string;
  percentiles: [number, number, number];
  sum: number;
};

/** The aggregates of a summary over lead times `c.seconds`. */
const LEAD_TIME_AGGREGATES = `percentile_cont(ARRAY[0.5, 0.75, 0.9])
    WITHIN GROUP (ORDER BY c.seconds) AS percentiles,
  sum(c.seconds) AS sum`;

/** The lead times in seconds of a Record's changes deployed in a window (two bindings). */
const leadTimesOf = (recordId: string) =>
  `SELECT greatest(0, deployed_at - changed_at)::float8 / 1000 AS seconds
    FROM ${TABLES.doraChanges}
    WHERE record_id = ${recordId} AND deployed_at >= ? AND deployed_at < ?`;

/** Facts are whole milliseconds: t >= from ⇔ t >= ⌈from⌉, t < to ⇔ t < ⌈to⌉. */
const windowBounds = (w: Window) => [Math.ceil(w.from), Math.ceil(w.to)];

function leadTimeSummaries(rows: LeadTimeRow[]): LeadTimeSummaries {
  return new Map(
    rows.map(row => {
      const count = Number(row.count);
      const [median, p75, p90] = row.percentiles;
      return [row.key, { count, median, p75, p90, mean: row.sum / count }];
    }),
  );
}

/** Reads the stored events and DORA facts the metrics need, per Record. */
export class MetricsStore {
  /** The times that place a pull request in a window (a seam for tests). */
  protected readonly prTimes: readonly string[] = PR_TIME_COLUMNS;

  constructor(private readonly db: Knex) {}

  /**
   * Facts from which computeEngineering gives, for the window `w`, what it
   * gives from the Record's whole history, reading only: the changes and
   * comments in the window; every row of each pull request (`source:pr_id`)
   * one of whose rows has a time in the window (opened, created, merged,
   * closed or reviewed there), since its counts, merge time and first review
   * depend on all its rows; and the pull request and review rows that name no
   * pull request and have a time in the window. A pull request with no time
   * in the window adds nothing to it, so leaving it out changes nothing.
   */
  async engineeringFacts(recordId: string, w: Window): Promise<MetricsFacts> {
    // Times are whole milliseconds: t >= from ⇔ t >= ⌈from⌉, t < to ⇔ t < ⌈to⌉.
    const window = [new Date(Math.ceil(w.from)), new Date(Math.ceil(w.to))];
    const inWindow = (column: string) => `(${column} >= ? AND ${column} < ?)`;
    const anyTimeInWindow = `(${this.prTimes.map(inWindow).join(' OR ')})`;
    const timeBindings = this.prTimes.flatMap(() => window);
    const columns = (alias: string) =>
      FACT_COLUMNS.map(c => `${alias}.${c}`).join(', ');
    // Changes and comments need only their time (and commit), which their
    // indexes hold.
    const timeOnly = (kind: string, commit: string) =>
      FACT_COLUMNS.map(c => {
        if (c === 'kind') return `'${kind}' AS kind`;
        if (c === 'occurred_at') return 'occurred_at';
        if (c === 'commit_sha') return `${commit} AS commit_sha`;
        return `NULL AS ${c}`;
      }).join(', ');
    // The PR kinds are repeated literally so that SQLite uses the partial
    // index phaset_events_pr_idx (migration 20261129100000).
    const { rows } = await this.read<FactRow>(
      `WITH prs AS (
        SELECT DISTINCT source, pr_id FROM ${TABLES.events}
        WHERE record_id = ? AND kind IN (${PR_KINDS_SQL}) AND pr_id <> ''
          AND ${anyTimeInWindow}
      )
      SELECT ${columns('e')} FROM prs
        JOIN ${TABLES.events} e
          ON e.record_id = ? AND e.source = prs.source AND e.pr_id = prs.pr_id
        WHERE e.kind IN (${PR_KINDS_SQL})
      UNION ALL
      SELECT ${columns('e')} FROM ${TABLES.events} e
        WHERE e.record_id = ? AND e.kind IN (${PR_KINDS_SQL})
          AND (e.pr_id IS NULL OR e.pr_id = '') AND ${anyTimeInWindow}
      UNION ALL
      SELECT ${timeOnly('change', 'commit_sha')} FROM ${TABLES.events}
        WHERE record_id = ? AND kind = 'change' AND ${inWindow('occurred_at')}
      UNION ALL
      SELECT ${timeOnly('comment', 'NULL')} FROM ${TABLES.events}
        WHERE record_id = ? AND kind = 'comment' AND ${inWindow('occurred_at')}
      ORDER BY occurred_at, kind, id`,
      [
        recordId,
        ...timeBindings,
        recordId,
        recordId,
        ...timeBindings,
        recordId,
        ...window,
        recordId,
        ...window,
      ],
    );
    return factsFromRows(rows);
  }

  /**
   * The DORA facts (maintained at ingestion by DoraFactStore) that the window
   * `w` and any part of it need, per Record, in one query of index range
   * scans: whether the Record ever deployed, and its latest deployment
   * before the window's end; its deployments in the window;
   * its changes deployed in the window; and its incidents linked or resolved
   * at or after `from`, or never resolved (open at the window's end).
   */
  async doraFacts(
    recordIds: string[],
    w: Window,
    { rollup = false }: { rollup?: boolean } = {},
  ): Promise<Map<string, DoraFacts>> {
    return (await this.readDoraFacts(recordIds, w, rollup, false)).facts;
  }

  /**
   * The Record's DORA facts for the window `w`, or `undefined` when events of
   * it wait in the fold queue. The probe and the facts are one statement, so
   * they see one snapshot: a fold that commits between two statements cannot
   * hide events from both (see "Metrics consistency" in docs/operations.md).
   */
  async doraFactsIfFolded(
    recordId: string,
    w: Window,
  ): Promise<DoraFacts | undefined> {
    const { facts, pending } = await this.readDoraFacts(
      [recordId],
      w,
      false,
      true,
    );
    return pending ? undefined : facts.get(recordId);
  }

  private async readDoraFacts(
    recordIds: string[],
    w: Window,
    rollup: boolean,
    probePending: boolean,
  ): Promise<{ facts: Map<string, DoraFacts>; pending: boolean }> {
    let pending = false;
    const result = new Map<string, DoraFacts>(
      recordIds.map(id => [
        id,
        { everDeployed: false, deployments: [], changes: [], incidents: [] },
      ]),
    );
    for (let i = 0; i < recordIds.length; i += DORA_CHUNK) {
      const ids = recordIds.slice(i, i + DORA_CHUNK);
      const inIds = `record_id IN (${placeholders(ids)})`;
      const [from, to] = windowBounds(w);
      // Deployments and changes come as one `a:b,a:b,...` list per Record:
      // a year of a thousand Records is ~450,000 of them, which the driver
      // would otherwise parse as as many rows. For the roll-up (PostgreSQL,
      // see rollupFacts) the changes stay in the database, and so do the
      // incidents resolved before the window's end, but for their times:
      // no metric shows their ids.
      const { rows } = await this.read<DoraFactRead>(
        `SELECT 'ever' AS fact, r.id AS record_id, (SELECT max(x.at) FROM ${
          TABLES.doraDeployments
        } x WHERE x.record_id = r.id AND x.at < ?) AS a,
            CAST(NULL AS bigint) AS b, CAST(NULL AS bigint) AS c,
            CAST(NULL AS text) AS list, CAST(NULL AS varchar(300)) AS incident_key,
            CAST(NULL AS varchar(255)) AS id
          FROM ${TABLES.records} r WHERE r.id IN (${placeholders(ids)})
            AND EXISTS (SELECT 1 FROM ${
              TABLES.doraDeployments
            } x WHERE x.record_id = r.id)
        UNION ALL
        SELECT 'deployments', record_id, NULL, NULL, NULL,
            ${this.joined(`at || ':' || deployments`)}, NULL, NULL
          FROM ${TABLES.doraDeployments} WHERE ${inIds} AND at >= ? AND at < ?
          GROUP BY record_id
        ${
          rollup
            ? ''
            : `UNION ALL
        SELECT 'changes', record_id, NULL, NULL, NULL,
            ${this.joined(`changed_at || ':' || deployed_at`)}, NULL, NULL
          FROM ${TABLES.doraChanges}
          WHERE ${inIds} AND deployed_at >= ? AND deployed_at < ?
          GROUP BY record_id`
        }
        UNION ALL
        SELECT 'incident', record_id, opened_at, resolved_at, linked_at, NULL,
            incident_key, incident_id
          FROM ${TABLES.doraIncidents} WHERE ${inIds}
            AND (resolved_at IS NULL OR resolved_at >= ? OR linked_at >= ?)
            ${rollup ? 'AND (resolved_at IS NULL OR resolved_at >= ?)' : ''}
        ${
          rollup
            ? `UNION ALL
        SELECT 'incidents', record_id, NULL, NULL, NULL,
            ${this.joined(
              `opened_at || ':' || resolved_at || ':' || coalesce(CAST(linked_at AS text), '')`,
            )}, NULL, NULL
          FROM ${TABLES.doraIncidents} WHERE ${inIds}
            AND (resolved_at >= ? OR linked_at >= ?) AND resolved_at < ?
          GROUP BY record_id`
            : ''
        }${
          probePending
            ? `
        UNION ALL
        SELECT 'pending', record_id, NULL, NULL, NULL, NULL, NULL, NULL
          FROM ${TABLES.doraPending} WHERE ${inIds}
          GROUP BY record_id`
            : ''
        }`,
        [
          to,
          ...ids,
          ...ids,
          from,
          to,
          ...(rollup ? [] : [...ids, from, to]),
          ...ids,
          from,
          from,
          ...(rollup ? [to, ...ids, from, from, to] : []),
          ...(probePending ? ids : []),
        ],
        ids.length > 1,
      );
      for (const row of rows) {
        const facts = result.get(row.record_id)!;
        if (row.fact === 'pending') {
          pending = true;
        } else if (row.fact === 'ever') {
          facts.everDeployed = true;
          facts.lastDeploymentAt = millis(row.a);
        } else if (row.fact === 'deployments') {
          const list = numbers(row.list!);
          for (let j = 0; j < list.length; j += 2) {
            facts.deployments.push({ at: list[j]!, count: list[j + 1]! });
          }
        } else if (row.fact === 'changes') {
          const list = numbers(row.list!);
          for (let j = 0; j < list.length; j += 2) {
            // The window's samples need no commit.
            facts.changes.push({
              commitSha: '',
              changedAt: list[j]!,
              deployedAt: list[j + 1],
            });
          }
        } else if (row.fact === 'incidents') {
          const list = numbers(row.list!);
          for (let j = 0; j < list.length; j += 3) {
            facts.incidents.push({
              key: '',
              id: '',
              openedAt: list[j]!,
              resolvedAt: list[j + 1],
              linkedAt: list[j + 2],
            });
          }
        } else {
          facts.incidents.push({
            key: row.incident_key!,
            id: row.id!,
            openedAt: millis(row.a)!,
            resolvedAt: millis(row.b),
            linkedAt: millis(row.c),
          });
        }
      }
    }
    return { facts: result, pending };
  }

  /**
   * What the roll-up over the Records needs for the window `w`: their DORA
   * facts and, on PostgreSQL, the summaries of their lead times, computed
   * there so that the lead times themselves (~300,000 in a year of 1,000
   * Records) do not leave the database; the facts then come without their
   * changes. The summaries are per Record or, given `pooledBy` (a Record's
   * owner, if any), per owner: a page of the roll-up shows one or the
   * other. On SQLite, which has no percentile_cont, the facts hold the
   * changes and the caller summarises them.
   */
  async rollupFacts(
    recordIds: string[],
    w: Window,
    pooledBy?: Map<string, string>,
  ): Promise<{
    facts: Map<string, DoraFacts>;
    leadTimes?: LeadTimeSummaries;
  }> {
    if (this.db.client.dialect !== 'postgresql') {
      return { facts: await this.doraFacts(recordIds, w) };
    }
    const [facts, leadTimes] = await Promise.all([
      this.doraFacts(recordIds, w, { rollup: true }),
      pooledBy
        ? this.leadTimeSummariesByOwner(recordIds, pooledBy, w)
        : this.leadTimeSummariesByRecord(recordIds, w),
    ]);
    return { facts, leadTimes };
  }

  /**
   * PostgreSQL: per Record, the summary of the lead times of its changes
   * deployed in `w`, as summarize gives it: percentile_cont interpolates
   * between closest ranks as statistics.ts does, on the same float8
   * seconds. The mean is the sum over the count, but summed in another
   * order than summarize's ascending one, so it may differ from it in the
   * last bits. Each Record is aggregated on its own, from one index range
   * scan, so that nothing sorts the page's changes as a whole.
   */
  private async leadTimeSummariesByRecord(
    recordIds: string[],
    w: Window,
  ): Promise<LeadTimeSummaries> {
    const { rows } = await this.read<LeadTimeRow>(
      `SELECT r.record_id AS key, c.count, c.percentiles, c.sum
        FROM unnest(?::text[]) AS r(record_id)
        CROSS JOIN LATERAL (
          SELECT count(*) AS count, ${LEAD_TIME_AGGREGATES}
            FROM (${leadTimesOf('r.record_id')}) c
        ) c
        WHERE c.count > 0`,
      [recordIds, ...windowBounds(w)],
      true,
    );
    return leadTimeSummaries(rows);
  }

  /** PostgreSQL: as leadTimeSummariesByRecord, but pooled per owner. */
  private async leadTimeSummariesByOwner(
    recordIds: string[],
    owners: Map<string, string>,
    w: Window,
  ): Promise<LeadTimeSummaries> {
    const owned = recordIds.filter(id => owners.has(id));
    const { rows } = await this.read<LeadTimeRow>(
      `SELECT r.owner AS key, count(*) AS count, ${LEAD_TIME_AGGREGATES}
        FROM unnest(?::text[], ?::text[]) AS r(record_id, owner)
        CROSS JOIN LATERAL (${leadTimesOf('r.record_id')}) c
        GROUP BY r.owner`,
      [owned, owned.map(id => owners.get(id)!), ...windowBounds(w)],
      true,
    );
    return leadTimeSummaries(rows);
  }

  /** An aggregate joining `expression` over a group with commas. */
  private joined(expression: string): string {
    return this.db.client.dialect === 'postgresql'
      ? `string_agg(${expression}, ',')`
      : `group_concat(${expression}, ',')`;
  }

  /**
   * Rows of a raw query on either engine. On PostgreSQL a query over many
   * Records runs with JIT off: it is estimated expensive enough to be
   * JIT-compiled, which takes longer (~90 ms a query) than running it. It
   * also runs without parallel workers: the planner chose a parallel
   * sequential scan of every Record's facts for a page of 1,000 Records,
   * whose workers took ~40 ms to start on a busy 2-CPU server, where
   * one index range scan per Record takes ~15 ms in all. A
   * query of one Record runs as a named prepared statement: on every request
   * the engineering read was planned for ~2 ms and executed in ~1 ms
   * (docs/benchmarks.md).
   */
  private async read<T>(
    sql: string,
    bindings: unknown[],
    manyRecords = false,
  ): Promise<{ rows: T[] }> {
    const run = async (db: Knex) => {
      const response = await db.raw(sql, bindings as Knex.RawBinding[]);
      return {
        rows: (Array.isArray(response) ? response : response.rows) as T[],
      };
    };
    if (this.db.client.dialect !== 'postgresql') {
      return run(this.db);
    }
    if (!manyRecords) {
      return this.prepared<T>(sql, bindings);
    }
    return this.db.transaction(async tx => {
      await tx.raw(
        "SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)",
      );
      return run(tx);
    });
  }

  /**
   * Runs a PostgreSQL query as a statement prepared once per pooled
   * connection (named by its text, which holds no values), through the
   * `pg` client knex pools.
   */
  private async prepared<T>(
    sql: string,
    bindings: unknown[],
  ): Promise<{ rows: T[] }> {
    const native = this.db
      .raw(sql, bindings as Knex.RawBinding[])
      .toSQL()
      .toNative();
    const name = `phaset_${createHash('sha1')
      .update(native.sql)
      .digest('hex')}`;
    const connection = await this.db.client.acquireConnection();
    try {
      const result = await connection.query({
        name,
        text: native.sql,
        values: native.bindings,
      });
      return { rows: result.rows as T[] };
    } finally {
      await this.db.client.releaseConnection(connection);
    }
  }
}
