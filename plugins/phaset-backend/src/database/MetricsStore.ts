import { Knex } from 'knex';
import { MetricsFacts, Window } from '../metrics/computeMetrics';
import {
  DbTime,
  EVENT_TIME_COLUMNS,
  EventColumn,
  EventRow,
  TABLES,
} from './tables';
import { toDate } from './time';

/** The columns of `phaset_events` the metrics read. */
const FACT_COLUMNS = [
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
type FactRow = {
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

const INCIDENT_KINDS = `kind IN ('incident-opened', 'incident-resolved')`;

/** Records per query of the roll-up: keeps bindings under SQLite's limit. */
const DORA_CHUNK = 1000;

/**
 * `count` rows of typed parameters as a VALUES list: with a thousand rows,
 * PostgreSQL plans it in a fraction of the time a UNION ALL of SELECTs takes.
 */
const valuesOf = (count: number, types: string[]) => {
  const row = `(${types.map(type => `CAST(? AS ${type})`).join(', ')})`;
  return `VALUES ${Array.from({ length: count }, () => row).join(', ')}`;
};

const groupByRecord = <T extends { record_id: string }>(rows: T[]) => {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.record_id);
    if (list) list.push(row);
    else map.set(row.record_id, [row]);
  }
  return map;
};
const EVENTS = TABLES.events;
const RECORDS = TABLES.records;

/**
 * A successful production deployment, the only one DORA counts: literal, so
 * that the partial indexes of the 20261123120000_metrics_indexes and
 * 20261123130000_metrics_covering_indexes migrations apply.
 */
const deployed = (t: string) =>
  `${t}.kind = 'deployment' AND ${t}.result = 'success' AND ${t}.is_production = true`;

const placeholders = (values: unknown[]) => values.map(() => '?').join(', ');

/** L (latest deployment before `from`) and N (first at or after `to`) per Record. */
type Bounds = { before: Map<string, number>; after: Map<string, number> };

/** Loaded deployments: [from, to). */
type Range = { from: number; to: number };

type ChangeRow = {
  record_id: string;
  commit_sha: string;
  occurred_at: DbTime;
  first_deployed_at: DbTime | null;
};

/** Each Record's loaded range of deployments: [L, N], else from `from` / up to `to`. */
function loadedRange(bounds: Bounds, w: Window) {
  return (id: string): Range => {
    const next = bounds.after.get(id);
    return {
      from: bounds.before.get(id) ?? w.from,
      to: next === undefined ? w.to : next + 1,
    };
  };
}

/**
 * Incidents resolved in the window but opened outside the loaded range link
 * to a deployment outside it: their (Record, opening time), to look up.
 */
function incidentsLinkedOutside(
  incidents: Map<string, MetricsFacts['incidents']>,
  bounds: Bounds,
  range: (id: string) => Range,
  w: Window,
): Array<[string, number]> {
  const outside: Array<[string, number]> = [];
  for (const [id, list] of incidents) {
    const { from, to } = range(id);
    for (const { openedAt, resolvedAt } of list) {
      if (
        resolvedAt !== undefined &&
        resolvedAt >= w.from &&
        resolvedAt < w.to &&
        // With no deployment before `from`, one opened before it links to none.
        ((openedAt < from && bounds.before.has(id)) || openedAt >= to)
      ) {
        outside.push([id, openedAt]);
      }
    }
  }
  return outside;
}

/** One Record's facts for the roll-up, from what the named queries read. */
function assembleDoraFacts(read: {
  deployments: FactRow[];
  incidents: MetricsFacts['incidents'];
  changes: ChangeRow[];
  /** Deployments that incidents opened outside the range link to. */
  linked: number[];
  /** L, when the Record deployed before the window. */
  since?: number;
  range: Range;
}): MetricsFacts {
  const facts = factsFromRows(read.deployments);
  facts.incidents = read.incidents;
  // Deployments outside the loaded range, kept for their time (incident
  // links) or for the commit they first deployed (lead time).
  const extra = new Map<string, { at: number; commitShas: string[] }>();
  for (const at of read.linked) {
    extra.set(`${at}:`, { at, commitShas: [] });
  }
  const seen = new Set<string>();
  for (const row of read.changes) {
    const changedAt = ms(row.occurred_at)!;
    if (
      seen.has(row.commit_sha) ||
      (read.since !== undefined && changedAt < read.since)
    ) {
      continue;
    }
    seen.add(row.commit_sha);
    facts.changes.push({ at: changedAt, commitSha: row.commit_sha });
    const first = ms(row.first_deployed_at);
    if (
      first !== undefined &&
      (first < read.range.from || first >= read.range.to)
    ) {
      extra.set(`${first}:${row.commit_sha}`, {
        at: first,
        commitShas: [row.commit_sha],
      });
    }
  }
  facts.deployments.push(...extra.values());
  return facts;
}

/** Reads the stored events the metrics need, per Record. */
export class MetricsStore {
  constructor(private readonly db: Knex) {}

  async facts(recordIds: string[]): Promise<Map<string, MetricsFacts>> {
    const byRecord = new Map<string, FactRow[]>(recordIds.map(id => [id, []]));
    // Bounded IN lists keep both engines within their parameter limits.
    for (let i = 0; i < recordIds.length; i += 500) {
      const rows: FactRow[] = await this.db(TABLES.events)
        .select(FACT_COLUMNS)
        .whereIn('record_id', recordIds.slice(i, i + 500))
        .orderBy('occurred_at');
      for (const row of rows) byRecord.get(row.record_id)!.push(row);
    }
    return new Map(
      [...byRecord].map(([id, rows]) => [id, factsFromRows(rows)]),
    );
  }

  /**
   * The facts that `doraSamples(facts, w)` needs for the window `w`, without
   * loading a Record's whole history: `doraSamples` gives exactly the same
   * samples on them as on `facts()` (no engineering metrics). Per Record:
   *
   * - successful production deployments from L (the latest one before
   *   `from`) up to and including N (the first one at or after `to`). No
   *   deployment lies between L and `from`, so every change after L is
   *   deployed by one of these, every incident opened in [from, N) links to
   *   one of these, and `everDeployed` is kept;
   * - every incident opened, resolved or still open at or after `from` (each
   *   may have opened long ago), and for those resolved in the window but
   *   opened outside [L, N], the deployment they link to;
   * - the changes that can be deployed in the window: commits changed at or
   *   after L and before `to`, or shipped by a deployment in the window (a
   *   change stamped after its deployment), each at its earliest change (a
   *   commit first changed before L is deployed before `from`: dropped),
   *   with the time of its first deployment, kept when outside [L, N].
   *
   * Extra deployments outside [L, N] change nothing else; metrics.test.ts
   * checks the roll-up against the per-Record endpoint on random windows.
   */
  async doraFacts(
    recordIds: string[],
    w: Window,
  ): Promise<Map<string, MetricsFacts>> {
    const result = new Map<string, MetricsFacts>();
    for (let i = 0; i < recordIds.length; i += DORA_CHUNK) {
      const ids = recordIds.slice(i, i + DORA_CHUNK);
      for (const [id, facts] of await this.doraChunk(ids, w)) {
        result.set(id, facts);
      }
    }
    return result;
  }

  private async doraChunk(
    ids: string[],
    w: Window,
  ): Promise<Map<string, MetricsFacts>> {
    const [bounds, incidents] = await Promise.all([
      this.deploymentBounds(ids, w),
      this.incidentsThatMatter(ids, w),
    ]);
    const range = loadedRange(bounds, w);
    const [linked, deployments, changes] = await Promise.all([
      this.deploymentsBefore(
        incidentsLinkedOutside(incidents, bounds, range, w),
      ),
      this.deploymentsIn(ids, range),
      this.deployableChanges(ids, bounds, w),
    ]);
    return new Map(
      ids.map(id => [
        id,
        assembleDoraFacts({
          deployments: deployments.get(id) ?? [],
          incidents: incidents.get(id) ?? [],
          changes: changes.get(id) ?? [],
          linked: linked.get(id) ?? [],
          since: bounds.before.get(id),
          range: range(id),
        }),
      ]),
    );
  }

  /**
   * Per Record, L (its latest successful production deployment before
   * `from`) and N (its first one at or after `to`): one index probe each.
   */
  private async deploymentBounds(ids: string[], w: Window): Promise<Bounds> {
    const { rows } = await this.read<{
      record_id: string;
      before: DbTime | null;
      after: DbTime | null;
    }>(
      `SELECT r.id AS record_id,
        (SELECT max(d.occurred_at) FROM ${EVENTS} d
          WHERE d.record_id = r.id AND ${deployed(
            'd',
          )} AND d.occurred_at < ?) AS before,
        (SELECT min(d.occurred_at) FROM ${EVENTS} d
          WHERE d.record_id = r.id AND ${deployed(
            'd',
          )} AND d.occurred_at >= ?) AS after
      FROM ${RECORDS} r WHERE r.id IN (${placeholders(ids)})`,
      [new Date(w.from), new Date(w.to), ...ids],
    );
    const bounds: Bounds = { before: new Map(), after: new Map() };
    for (const row of rows) {
      if (row.before !== null)
        bounds.before.set(row.record_id, ms(row.before)!);
      if (row.after !== null) bounds.after.set(row.record_id, ms(row.after)!);
    }
    return bounds;
  }

  /**
   * Every row of the incidents that can matter: those with any time at or
   * after `from`, or never resolved. One opened and resolved before `from`
   * links to a deployment before it and is neither resolved nor open in it.
   */
  private async incidentsThatMatter(
    ids: string[],
    w: Window,
  ): Promise<Map<string, MetricsFacts['incidents']>> {
    const from = new Date(w.from);
    const epoch = (column: string) => this.epochMs(column);
    const { rows } = await this.read<FactRow>(
      `WITH live AS (
        SELECT record_id, source, incident_id FROM ${EVENTS}
        WHERE record_id IN (${placeholders(ids)}) AND ${INCIDENT_KINDS}
        GROUP BY record_id, source, incident_id
        HAVING max(occurred_at) >= ? OR max(opened_at) >= ? OR max(resolved_at) >= ?
          OR count(resolved_at) = 0
      )
      SELECT e.record_id, e.source, e.kind, e.incident_id,
        ${epoch('e.occurred_at')} AS occurred_at,
        ${epoch('e.opened_at')} AS opened_at, ${epoch(
        'e.resolved_at',
      )} AS resolved_at
      FROM live JOIN ${EVENTS} e
        ON e.record_id = live.record_id AND e.source = live.source
        AND e.incident_id = live.incident_id AND e.${INCIDENT_KINDS}
      ORDER BY e.record_id, e.occurred_at`,
      [...ids, from, from, from],
    );
    return new Map(
      [...groupByRecord(rows)].map(([id, list]) => [
        id,
        factsFromRows(list).incidents,
      ]),
    );
  }

  /**
   * For each (Record, time): the latest successful production deployment at
   * or before that time (to the millisecond the facts keep), if any.
   */
  private async deploymentsBefore(
    entries: Array<[recordId: string, at: number]>,
  ): Promise<Map<string, number[]>> {
    const linked = new Map<string, number[]>();
    for (let j = 0; j < entries.length; j += 300) {
      const batch = entries.slice(j, j + 300);
      const { rows } = await this.read<{
        record_id: string;
        at: DbTime | null;
      }>(
        batch
          .map(
            () =>
              `SELECT CAST(? AS varchar(10)) AS record_id, (SELECT max(d.occurred_at)
                FROM ${EVENTS} d
                WHERE d.record_id = ? AND ${deployed(
                  'd',
                )} AND d.occurred_at < ?) AS at`,
          )
          .join(' UNION ALL '),
        batch.flatMap(([id, at]) => [id, id, new Date(at + 1)]),
      );
      for (const row of rows) {
        if (row.at !== null) {
          linked.set(row.record_id, [
            ...(linked.get(row.record_id) ?? []),
            ms(row.at)!,
          ]);
        }
      }
    }
    return linked;
  }

  /** The successful production deployments of each Record's loaded range. */
  private async deploymentsIn(
    ids: string[],
    range: (id: string) => Range,
  ): Promise<Map<string, FactRow[]>> {
    const { rows } = await this.read<FactRow>(
      `WITH bounds (record_id, since, until) AS (
        ${valuesOf(ids.length, ['varchar(10)', 'timestamptz', 'timestamptz'])}
      )
      SELECT e.record_id, e.raw_event_id, e.kind, e.result, e.is_production, e.commit_sha,
        ${this.epochMs('e.occurred_at')} AS occurred_at
      FROM bounds b JOIN ${EVENTS} e
        ON e.record_id = b.record_id AND ${deployed('e')}
        AND e.occurred_at >= b.since AND e.occurred_at < b.until
      ORDER BY e.occurred_at`,
      ids.flatMap(id => [id, new Date(range(id).from), new Date(range(id).to)]),
    );
    return groupByRecord(rows);
  }

  /**
   * The changes that can be deployed in the window, each with its commit's
   * earliest change and first deployment (any time): of a Record deployed
   * before `from`, those changed from L on; of the others, every commit.
   */
  private async deployableChanges(
    ids: string[],
    bounds: Bounds,
    w: Window,
  ): Promise<Map<string, ChangeRow[]>> {
    const bounded = ids.filter(id => bounds.before.has(id));
    const unbounded = ids.filter(id => !bounds.before.has(id));
    const [sinceLatest, ofUndeployed] = await Promise.all([
      bounded.length === 0 ? [] : this.changesSince(bounded, bounds, w),
      unbounded.length === 0 ? [] : this.changesOfAllTime(unbounded, w),
    ]);
    return groupByRecord([...sinceLatest, ...ofUndeployed]);
  }

  /** Changes from L on (a commit first changed before L is dropped later). */
  private async changesSince(
    ids: string[],
    bounds: Bounds,
    w: Window,
  ): Promise<ChangeRow[]> {
    const epoch = (column: string) => this.epochMs(column);
    const { rows } = await this.read<ChangeRow>(
      `WITH bounds (record_id, since) AS (
        ${valuesOf(ids.length, ['varchar(10)', 'timestamptz'])}
      )
      SELECT c.record_id, c.commit_sha,
        ${epoch(`(SELECT min(y.occurred_at) FROM ${EVENTS} y
          WHERE y.record_id = c.record_id AND y.commit_sha = c.commit_sha
            AND y.kind = 'change')`)} AS occurred_at,
        ${epoch(`(SELECT min(d.occurred_at) FROM ${EVENTS} d
          WHERE d.record_id = c.record_id AND d.commit_sha = c.commit_sha
            AND ${deployed('d')})`)} AS first_deployed_at
      FROM bounds b JOIN ${EVENTS} c
        ON c.record_id = b.record_id AND c.kind = 'change' AND c.occurred_at >= b.since
      WHERE c.commit_sha IS NOT NULL AND (c.occurred_at < ? OR EXISTS (
        SELECT 1 FROM ${EVENTS} d WHERE d.record_id = c.record_id
          AND d.commit_sha = c.commit_sha AND ${deployed('d')}
          AND d.occurred_at >= ? AND d.occurred_at < ?))`,
      [
        ...ids.flatMap(id => [id, new Date(bounds.before.get(id)!)]),
        new Date(w.to),
        new Date(w.from),
        new Date(w.to),
      ],
    );
    return rows;
  }

  /**
   * Every commit of Records with no deployment before `from` (which may be
   * all of their history), changed before `to` or shipped in the window:
   * grouped rather than looked up per row.
   */
  private async changesOfAllTime(
    ids: string[],
    w: Window,
  ): Promise<ChangeRow[]> {
    const epoch = (column: string) => this.epochMs(column);
    const { rows } = await this.read<ChangeRow>(
      `WITH changed AS (
        SELECT record_id, commit_sha, min(occurred_at) AS changed_at
        FROM ${EVENTS}
        WHERE record_id IN (${placeholders(ids)})
          AND kind = 'change' AND commit_sha IS NOT NULL
        GROUP BY record_id, commit_sha
      ), deployed AS (
        SELECT d.record_id, d.commit_sha, min(d.occurred_at) AS first_at,
          max(CASE WHEN d.occurred_at >= ? AND d.occurred_at < ? THEN 1 ELSE 0 END)
            AS in_window
        FROM ${EVENTS} d
        WHERE d.record_id IN (${placeholders(ids)})
          AND ${deployed('d')} AND d.commit_sha IS NOT NULL
        GROUP BY d.record_id, d.commit_sha
      )
      SELECT c.record_id, c.commit_sha, ${epoch('c.changed_at')} AS occurred_at,
        ${epoch('d.first_at')} AS first_deployed_at
      FROM changed c LEFT JOIN deployed d
        ON d.record_id = c.record_id AND d.commit_sha = c.commit_sha
      WHERE c.changed_at < ? OR d.in_window = 1`,
      [...ids, new Date(w.from), new Date(w.to), ...ids, new Date(w.to)],
    );
    return rows;
  }

  /**
   * A timestamp as epoch milliseconds, which reads faster than a Date; floored
   * like the Date the driver would make of it. SQLite stores them so already.
   */
  private epochMs(column: string): string {
    return this.db.client.dialect === 'postgresql'
      ? `floor(extract(epoch from ${column}) * 1000)::float8`
      : column;
  }

  /**
   * Rows of a raw query on either engine. On PostgreSQL each runs in a
   * transaction of its own with JIT off: the roll-up's correlated look-ups are
   * estimated expensive enough to be JIT-compiled, which took longer (~90 ms a
   * query) than running them; and separate transactions let its independent
   * queries run at once on pooled connections.
   */
  private async read<T>(
    sql: string,
    bindings: unknown[],
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
    return this.db.transaction(async tx => {
      await tx.raw('SET LOCAL jit = off');
      return run(tx);
    });
  }
}
