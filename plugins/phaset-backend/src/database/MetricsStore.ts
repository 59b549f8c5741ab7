import { Knex } from 'knex';
import { MetricsFacts, Window } from '../metrics/computeMetrics';
import { toDate } from './time';

type FactRow = {
  id: string;
  record_id: string;
  raw_event_id: string;
  source: string;
  kind: string;
  occurred_at: Date | string | number;
  commit_sha: string | null;
  result: string | null;
  is_production: boolean | number | null;
  incident_id: string | null;
  opened_at: Date | string | number | null;
  resolved_at: Date | string | number | null;
  pr_id: string | null;
  pr_created_at: Date | string | number | null;
  merged_at: Date | string | number | null;
  closed_at: Date | string | number | null;
  submitted_at: Date | string | number | null;
  additions: number | null;
  deletions: number | null;
  changed_files: number | null;
};

const COLUMNS = [
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
];

const ms = (value: Date | string | number | null) =>
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
/** Reads the stored events the metrics need, per Record. */
export class MetricsStore {
  constructor(private readonly db: Knex) {}

  async facts(recordIds: string[]): Promise<Map<string, MetricsFacts>> {
    const byRecord = new Map<string, FactRow[]>(recordIds.map(id => [id, []]));
    // Bounded IN lists keep both engines within their parameter limits.
    for (let i = 0; i < recordIds.length; i += 500) {
      const rows: FactRow[] = await this.db('phaset_events')
        .select(COLUMNS)
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
    const from = new Date(w.from);
    const to = new Date(w.to);
    // Literal predicates, so that the partial indexes of the
    // 20261123120000_metrics_indexes and 20261123130000_metrics_covering_indexes
    // migrations apply.
    const deployment = (t: string) =>
      `${t}.kind = 'deployment' AND ${t}.result = 'success' AND ${t}.is_production = true`;

    const epoch = (column: string) => this.epochMs(column);
    // L and N of each Record (one index probe each), and the incidents.
    const [{ rows: boundRows }, { rows: incidentRows }] = await Promise.all([
      this.read<{
        record_id: string;
        before: Date | string | number | null;
        after: Date | string | number | null;
      }>(
        `SELECT r.id AS record_id,
        (SELECT max(d.occurred_at) FROM phaset_events d
          WHERE d.record_id = r.id AND ${deployment(
            'd',
          )} AND d.occurred_at < ?) AS before,
        (SELECT min(d.occurred_at) FROM phaset_events d
          WHERE d.record_id = r.id AND ${deployment(
            'd',
          )} AND d.occurred_at >= ?) AS after
      FROM phaset_records r WHERE r.id IN (${ids.map(() => '?').join(', ')})`,
        [from, to, ...ids],
      ),
      // Every row of the incidents that can matter: those with any time at or
      // after `from`, or never resolved. One opened and resolved before `from`
      // links to a deployment before it and is neither resolved nor open in it.
      this.read<FactRow>(
        `WITH live AS (
        SELECT record_id, source, incident_id FROM phaset_events
        WHERE record_id IN (${ids
          .map(() => '?')
          .join(', ')}) AND ${INCIDENT_KINDS}
        GROUP BY record_id, source, incident_id
        HAVING max(occurred_at) >= ? OR max(opened_at) >= ? OR max(resolved_at) >= ?
          OR count(resolved_at) = 0
      )
      SELECT e.record_id, e.source, e.kind, e.incident_id,
        ${epoch('e.occurred_at')} AS occurred_at,
        ${epoch('e.opened_at')} AS opened_at, ${epoch(
          'e.resolved_at',
        )} AS resolved_at
      FROM live JOIN phaset_events e
        ON e.record_id = live.record_id AND e.source = live.source
        AND e.incident_id = live.incident_id AND e.${INCIDENT_KINDS}
      ORDER BY e.record_id, e.occurred_at`,
        [...ids, from, from, from],
      ),
    ]);
    const before = new Map<string, number>();
    const after = new Map<string, number>();
    for (const row of boundRows) {
      if (row.before !== null) before.set(row.record_id, ms(row.before)!);
      if (row.after !== null) after.set(row.record_id, ms(row.after)!);
    }
    const incidents = new Map(
      [...groupByRecord(incidentRows)].map(([id, rows]) => [
        id,
        factsFromRows(rows).incidents,
      ]),
    );

    // The loaded range of deployments: [L, N], else from `from` / up to `to`.
    const lower = (id: string) => before.get(id) ?? w.from;
    const upper = (id: string) => {
      const next = after.get(id);
      return next === undefined ? w.to : next + 1;
    };

    // An incident resolved in the window but opened outside that range links
    // to a deployment outside it: look that one up on its own.
    const outside: Array<[string, number]> = [];
    for (const [id, list] of incidents) {
      for (const { openedAt, resolvedAt } of list) {
        if (
          resolvedAt !== undefined &&
          resolvedAt >= w.from &&
          resolvedAt < w.to &&
          // With no deployment before `from`, one opened before it links to none.
          ((openedAt < lower(id) && before.has(id)) || openedAt >= upper(id))
        ) {
          outside.push([id, openedAt]);
        }
      }
    }
    const linkedDeployments = async () => {
      const linked = new Map<string, number[]>();
      for (let j = 0; j < outside.length; j += 300) {
        const entries = outside.slice(j, j + 300);
        const { rows } = await this.read<{
          record_id: string;
          at: Date | string | number | null;
        }>(
          entries
            .map(
              () =>
                `SELECT CAST(? AS varchar(10)) AS record_id, (SELECT max(d.occurred_at)
                  FROM phaset_events d
                  WHERE d.record_id = ? AND ${deployment(
                    'd',
                  )} AND d.occurred_at < ?) AS at`,
            )
            .join(' UNION ALL '),
          // At or before the opening, to the millisecond the facts keep.
          entries.flatMap(([id, opened]) => [id, id, new Date(opened + 1)]),
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
    };

    type ChangeRow = {
      record_id: string;
      commit_sha: string;
      occurred_at: Date | string | number;
      first_deployed_at: Date | string | number | null;
    };
    // Each with its commit's earliest change and first deployment, any time.
    const changeColumns = `c.record_id, c.commit_sha,
      ${epoch(`(SELECT min(y.occurred_at) FROM phaset_events y
        WHERE y.record_id = c.record_id AND y.commit_sha = c.commit_sha
          AND y.kind = 'change')`)} AS occurred_at,
      ${epoch(`(SELECT min(d.occurred_at) FROM phaset_events d
        WHERE d.record_id = c.record_id AND d.commit_sha = c.commit_sha
          AND ${deployment('d')})`)} AS first_deployed_at`;
    // Before `to`, or shipped by a deployment in the window.
    const deployable = `c.commit_sha IS NOT NULL AND (c.occurred_at < ? OR EXISTS (
      SELECT 1 FROM phaset_events d WHERE d.record_id = c.record_id
        AND d.commit_sha = c.commit_sha AND ${deployment('d')}
        AND d.occurred_at >= ? AND d.occurred_at < ?))`;
    const bounded = ids.filter(id => before.has(id));
    const unbounded = ids.filter(id => !before.has(id));
    const changes = async (sql: string, bindings: unknown[]) =>
      (await this.read<ChangeRow>(sql, bindings)).rows;

    const [linked, { rows: deploymentRows }, boundedChanges, unboundedChanges] =
      await Promise.all([
        linkedDeployments(),
        this.read<FactRow>(
          `WITH bounds (record_id, since, until) AS (
            ${valuesOf(ids.length, [
              'varchar(10)',
              'timestamptz',
              'timestamptz',
            ])}
          )
          SELECT e.record_id, e.raw_event_id, e.kind, e.result, e.is_production, e.commit_sha,
            ${epoch('e.occurred_at')} AS occurred_at
          FROM bounds b JOIN phaset_events e
            ON e.record_id = b.record_id AND ${deployment('e')}
            AND e.occurred_at >= b.since AND e.occurred_at < b.until
          ORDER BY e.occurred_at`,
          ids.flatMap(id => [id, new Date(lower(id)), new Date(upper(id))]),
        ),
        // From L on (a commit first changed before L is dropped below).
        bounded.length === 0
          ? []
          : changes(
              `WITH bounds (record_id, since) AS (
                ${valuesOf(bounded.length, ['varchar(10)', 'timestamptz'])}
              )
              SELECT ${changeColumns}
              FROM bounds b JOIN phaset_events c
                ON c.record_id = b.record_id AND c.kind = 'change' AND c.occurred_at >= b.since
              WHERE ${deployable}`,
              [
                ...bounded.flatMap(id => [id, new Date(before.get(id)!)]),
                to,
                from,
                to,
              ],
            ),
        // Every commit of a Record with no deployment before `from` (which
        // may be all of its history): grouped rather than looked up per row.
        unbounded.length === 0
          ? []
          : changes(
              `WITH changed AS (
                SELECT record_id, commit_sha, min(occurred_at) AS changed_at
                FROM phaset_events
                WHERE record_id IN (${unbounded.map(() => '?').join(', ')})
                  AND kind = 'change' AND commit_sha IS NOT NULL
                GROUP BY record_id, commit_sha
              ), deployed AS (
                SELECT d.record_id, d.commit_sha, min(d.occurred_at) AS first_at,
                  max(CASE WHEN d.occurred_at >= ? AND d.occurred_at < ? THEN 1 ELSE 0 END)
                    AS in_window
                FROM phaset_events d
                WHERE d.record_id IN (${unbounded.map(() => '?').join(', ')})
                  AND ${deployment('d')} AND d.commit_sha IS NOT NULL
                GROUP BY d.record_id, d.commit_sha
              )
              SELECT c.record_id, c.commit_sha, ${epoch(
                'c.changed_at',
              )} AS occurred_at,
                ${epoch('d.first_at')} AS first_deployed_at
              FROM changed c LEFT JOIN deployed d
                ON d.record_id = c.record_id AND d.commit_sha = c.commit_sha
              WHERE c.changed_at < ? OR d.in_window = 1`,
              [...unbounded, from, to, ...unbounded, to],
            ),
      ]);

    const deploymentsBy = groupByRecord(deploymentRows);
    const changesBy = groupByRecord([...boundedChanges, ...unboundedChanges]);
    const result = new Map<string, MetricsFacts>();
    for (const id of ids) {
      const facts = factsFromRows(deploymentsBy.get(id) ?? []);
      facts.incidents = incidents.get(id) ?? [];
      const loadedFrom = lower(id);
      const loadedTo = upper(id);
      // Deployments outside the loaded range, kept for their time (incident
      // links) or for the commit they first deployed (lead time).
      const extra = new Map<string, { at: number; commitShas: string[] }>();
      for (const at of linked.get(id) ?? []) {
        extra.set(`${at}:`, { at, commitShas: [] });
      }
      const since = before.get(id);
      const seen = new Set<string>();
      for (const row of changesBy.get(id) ?? []) {
        const changedAt = ms(row.occurred_at)!;
        if (
          seen.has(row.commit_sha) ||
          (since !== undefined && changedAt < since)
        ) {
          continue;
        }
        seen.add(row.commit_sha);
        facts.changes.push({ at: changedAt, commitSha: row.commit_sha });
        const first = ms(row.first_deployed_at);
        if (first !== undefined && (first < loadedFrom || first >= loadedTo)) {
          extra.set(`${first}:${row.commit_sha}`, {
            at: first,
            commitShas: [row.commit_sha],
          });
        }
      }
      facts.deployments.push(...extra.values());
      result.set(id, facts);
    }
    return result;
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

  /** Rows of a raw query on either engine. */
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
