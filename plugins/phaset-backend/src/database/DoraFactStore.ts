import { Knex } from 'knex';
import {
  NO_TELEMETRY,
  TelemetryCounts,
} from '@internal/backstage-plugin-phaset-common';
import { doraFactsOf, KeyedIncident } from '../metrics/doraFacts';
import { factsFromRows, FACT_COLUMNS, FactRow } from './MetricsStore';
import { chunks, recordIdSlices, whereRecordIn } from './chunks';
import { runStatements, Statements } from './statements';
import { EventRow, TABLES } from './tables';
import { toDate } from './time';

const EVENTS = TABLES.events;
const DEPLOYMENTS = TABLES.doraDeployments;
const CHANGES = TABLES.doraChanges;
const INCIDENTS = TABLES.doraIncidents;
const PENDING = TABLES.doraPending;

const INCIDENT_KINDS = ['incident-opened', 'incident-resolved'];
/** The kinds of event the DORA facts are made of: those queued for a fold. */
export const DORA_KINDS = ['deployment', 'change', ...INCIDENT_KINDS];

/** Queued events folded per transaction, at most (a backlog takes several). */
const FOLD_BATCH = 5000;

const ms = (value: Date) => toDate(value).getTime();
const placeholders = (values: unknown[]) => values.map(() => '?').join(', ');
/** Rows of a one-column VALUES list of times, typed bigint on PostgreSQL. */
const timeRows = (count: number) =>
  Array(count).fill('(CAST(? AS bigint))').join(', ');

/** Deployment instants further apart than this start a new run. */
const RUN_GAP_MS = 3_600_000;

/**
 * A Record's new deployment instants, sorted, in runs: a run ends where the
 * next instant is more than RUN_GAP_MS later, or at a statement's size. A
 * statement reads the changes and incidents from a run's first instant to
 * its last, so that a deployment stamped days late is read on its own
 * instead of stretching the range over everything since.
 */
function deploymentRuns(deployments: EventRow[]): number[][] {
  const instants = [...new Set(deployments.map(e => ms(e.occurred_at)))].sort(
    (a, b) => a - b,
  );
  const runs: number[][] = [];
  let run: number[] = [];
  for (const at of instants) {
    if (run.length > 0 && at - run[run.length - 1] > RUN_GAP_MS) {
      runs.push(run);
      run = [];
    }
    run.push(at);
  }
  if (run.length > 0) runs.push(run);
  return runs.flatMap(chunks);
}

/** The only deployments DORA counts. */
const isDeployed = (e: EventRow) =>
  e.kind === 'deployment' && e.result === 'success' && Boolean(e.is_production);

/** Same predicate in SQL, literal so that the partial indexes apply. */
const deployed = (t: string) =>
  `${t}.kind = 'deployment' AND ${t}.result = 'success' AND ${t}.is_production = true`;

/** A queued row with its event's columns (none if the event was deleted). */
type QueuedRow = Partial<EventRow> & { seq: number | string };

const incidentKey = (e: { source: string; incident_id: string | null }) =>
  `${e.source}:${e.incident_id}`;

/**
 * The queued rows of a fold, without the last delivery's if the batch may
 * have cut it (deployments count once per delivery and instant, so a
 * delivery is folded whole); a batch of one delivery is taken as it is.
 */
function wholeDeliveries<T extends { raw_event_id?: string | null }>(
  rows: T[],
): T[] {
  if (rows.length < FOLD_BATCH) return rows;
  const last = rows[rows.length - 1].raw_event_id;
  const whole = rows.filter(r => !last || r.raw_event_id !== last);
  return whole.length > 0 ? whole : rows;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/**
 * Owns the DORA fact tables and their queue. Ingestion queues each new DORA
 * event in its own transaction (`queue`) and acknowledges; the facts are
 * folded from the queue afterwards (`foldPending`: by DoraFactWorker right
 * after, by a read of the Record's metrics if it gets there first, by a
 * periodic sweep after a crash), each fold in one transaction that also
 * deletes the rows it folded, so that an event is folded exactly once.
 *
 * Facts change per Record under a per-Record lock (PostgreSQL advisory
 * transaction lock; SQLite runs one write at a time): folds and rebuilds of
 * one Record run one after the other, on any replica, and each sees the
 * facts the previous one committed. Adding events only moves facts one way
 * (a change's deployment earlier, an incident's link later), so a new
 * deployment updates the rows it can affect in place, and a new change or
 * incident is recomputed from the stored events; that a fold may also see
 * events still queued (committed after it read the queue) does not change
 * the end result, which the tests compare with a rebuild. Deleting events
 * (a revoked webhook's data, a recompute) rebuilds the Record's facts from
 * its events.
 */
export class DoraFactStore {
  constructor(private readonly db: Knex) {}

  /**
   * Per Record, what its facts hold of `[from, to)`: successful production
   * deployments, changes made and those shipped, incidents opened and those
   * linked to a deployment (the Health Score's telemetry coverage). Three
   * grouped index range scans per slice of Records; a Record with none of
   * them is absent.
   */
  async telemetryCounts(
    recordIds: string[],
    from: number,
    to: number,
  ): Promise<Map<string, TelemetryCounts>> {
    const out = new Map<string, TelemetryCounts>();
    const of = (id: string) => {
      let counts = out.get(id);
      if (!counts) {
        counts = { ...NO_TELEMETRY };
        out.set(id, counts);
      }
      return counts;
    };
    /** Per Record: the rows of `table` whose `at` is in the window, and those with `counted` set. */
    const tally = (ids: string[], table: string, at: string, counted: string) =>
      whereRecordIn(this.db, this.db(table), 'record_id', ids)
        .where(at, '>=', from)
        .where(at, '<', to)
        .groupBy('record_id')
        .select(
          'record_id',
          this.db.raw('count(*) as n'),
          this.db.raw(`count(${counted}) as counted`),
        );
    for (const ids of recordIdSlices(this.db, recordIds)) {
      const [deployments, changes, incidents] = await Promise.all([
        whereRecordIn(this.db, this.db(DEPLOYMENTS), 'record_id', ids)
          .where('at', '>=', from)
          .where('at', '<', to)
          .groupBy('record_id')
          .select('record_id', this.db.raw('sum(deployments) as n')),
        tally(ids, CHANGES, 'changed_at', 'deployed_at'),
        tally(ids, INCIDENTS, 'opened_at', 'linked_at'),
      ]);
      for (const row of deployments) {
        of(row.record_id).deployments = Number(row.n);
      }
      for (const row of changes) {
        of(row.record_id).changes = {
          total: Number(row.n),
          deployed: Number(row.counted),
        };
      }
      for (const row of incidents) {
        of(row.record_id).incidents = {
          total: Number(row.n),
          linked: Number(row.counted),
        };
      }
    }
    return out;
  }

  /**
   * Statements queueing `inserted` (events new in an ingestion transaction)
   * for the next fold, to run in that transaction.
   */
  queue(tx: Knex.Transaction, inserted: EventRow[]): Statements {
    const queuedAt = Date.now();
    const rows = inserted
      .filter(e => DORA_KINDS.includes(e.kind))
      .map(e => ({
        record_id: e.record_id,
        event_id: e.id,
        queued_at: queuedAt,
      }));
    return chunks(rows).map(chunk => tx(PENDING).insert(chunk));
  }

  /** Whether any of these Records (or, without ids, any Record) has events to fold. */
  async hasPending(recordIds?: string[]): Promise<boolean> {
    if (recordIds?.length === 0) return false;
    const query = this.db(PENDING).first('seq');
    if (recordIds) query.whereIn('record_id', recordIds);
    return Boolean(await query);
  }

  /** The Records with events to fold. */
  async pendingRecords(): Promise<string[]> {
    const rows: Array<{ record_id: string }> = await this.db(PENDING).distinct(
      'record_id',
    );
    return rows.map(r => r.record_id).sort();
  }

  /**
   * Folds the Records' queued events into their facts and deletes them from
   * the queue, in one transaction per batch, under the Records' locks.
   * Returns how many queued rows it took.
   */
  async foldPending(recordIds: string[]): Promise<number> {
    let folded = 0;
    for (const slice of chunks([...new Set(recordIds)].sort())) {
      for (;;) {
        const batch = await this.db.transaction(async tx => {
          const locks: Statements = [];
          this.lock(tx, slice, locks);
          await runStatements(tx, locks);
          const rows: QueuedRow[] = await tx(PENDING)
            .leftJoin(EVENTS, `${EVENTS}.id`, `${PENDING}.event_id`)
            .whereIn(`${PENDING}.record_id`, slice)
            .orderBy(`${PENDING}.seq`)
            .limit(FOLD_BATCH)
            .select(`${EVENTS}.*`, `${PENDING}.seq`);
          const taken = wholeDeliveries(rows);
          // A queued event deleted since (its webhook's data) has no row.
          await this.fold(
            tx,
            taken.filter((r): r is QueuedRow & EventRow => Boolean(r.id)),
            chunks(taken.map(r => r.seq)).map(seqs =>
              tx(PENDING).whereIn('seq', seqs).delete(),
            ),
          );
          return { taken: taken.length, full: rows.length === FOLD_BATCH };
        });
        folded += batch.taken;
        if (!batch.full) break;
      }
    }
    return folded;
  }

  /**
   * Brings the facts up to date with `inserted`, events not folded before,
   * and runs `alongside` (statements whose results are not needed) in the
   * same round trip, after the facts'.
   */
  private async fold(
    tx: Knex.Transaction,
    inserted: EventRow[],
    alongside: Statements,
  ): Promise<void> {
    const relevant = inserted.filter(
      e =>
        isDeployed(e) ||
        (e.kind === 'change' && e.commit_sha) ||
        INCIDENT_KINDS.includes(e.kind),
    );
    const byRecord = groupBy(relevant, e => e.record_id);
    const pending: Statements = [];
    this.addDeployments(tx, relevant.filter(isDeployed), pending);
    for (const [recordId, events] of byRecord) {
      this.refreshChanges(
        tx,
        recordId,
        events.filter(e => e.kind === 'change' && e.commit_sha),
        pending,
      );
    }
    await runStatements(tx, [...pending, ...alongside]);
    for (const [recordId, events] of byRecord) {
      await this.refreshIncidents(
        tx,
        recordId,
        events.filter(e => INCIDENT_KINDS.includes(e.kind)),
      );
    }
  }

  /**
   * Recomputes the Records' facts from their stored events, and takes the
   * events it read off the queue: those it did not read (committed after)
   * stay queued for the next fold.
   */
  async rebuild(tx: Knex.Transaction, recordIds: string[]): Promise<void> {
    if (recordIds.length === 0) return;
    const locks: Statements = [];
    this.lock(tx, recordIds, locks);
    await runStatements(tx, locks);
    for (const recordId of recordIds) {
      for (const table of [DEPLOYMENTS, CHANGES, INCIDENTS]) {
        await tx(table).where({ record_id: recordId }).delete();
      }
      const rows: FactRow[] = await tx(EVENTS)
        .select(FACT_COLUMNS)
        .where({ record_id: recordId })
        .whereIn('kind', DORA_KINDS)
        .orderBy(['occurred_at', 'kind', 'id']);
      for (const chunk of chunks(rows.map(r => r.id))) {
        await tx(PENDING)
          .where({ record_id: recordId })
          .whereIn('event_id', chunk)
          .delete();
      }
      const history = factsFromRows(
        rows.filter(r => !INCIDENT_KINDS.includes(r.kind)),
      );
      const incidents: KeyedIncident[] = [];
      for (const [key, list] of groupBy(
        rows.filter(r => INCIDENT_KINDS.includes(r.kind)),
        incidentKey,
      )) {
        for (const incident of factsFromRows(list).incidents) {
          incidents.push({ ...incident, key });
        }
      }
      const facts = doraFactsOf({ ...history, incidents });
      await this.insert(
        tx,
        DEPLOYMENTS,
        facts.deployments.map(d => ({
          record_id: recordId,
          at: d.at,
          deployments: d.count,
        })),
      );
      await this.insert(
        tx,
        CHANGES,
        facts.changes.map(c => ({
          record_id: recordId,
          commit_sha: c.commitSha,
          changed_at: c.changedAt,
          deployed_at: c.deployedAt ?? null,
        })),
      );
      await this.insert(
        tx,
        INCIDENTS,
        facts.incidents.map(i => ({
          record_id: recordId,
          incident_key: i.key,
          incident_id: i.id,
          opened_at: i.openedAt,
          resolved_at: i.resolvedAt ?? null,
          linked_at: i.linkedAt ?? null,
        })),
      );
    }
  }

  /**
   * Builds the facts of Records that have DORA events but no facts yet: the
   * events stored before the fact tables existed. Run after the migrations.
   */
  async backfill(): Promise<number> {
    const missing: Array<{ id: string }> = await this.db(TABLES.records)
      .select('id')
      .whereExists(q =>
        q
          .select(this.db.raw('1'))
          .from(EVENTS)
          .whereRaw(`${EVENTS}.record_id = ${TABLES.records}.id`)
          .whereIn(`${EVENTS}.kind`, DORA_KINDS),
      )
      .whereNotExists(q =>
        q
          .select(this.db.raw('1'))
          .from(DEPLOYMENTS)
          .whereRaw(`${DEPLOYMENTS}.record_id = ${TABLES.records}.id`),
      )
      .whereNotExists(q =>
        q
          .select(this.db.raw('1'))
          .from(CHANGES)
          .whereRaw(`${CHANGES}.record_id = ${TABLES.records}.id`),
      )
      .whereNotExists(q =>
        q
          .select(this.db.raw('1'))
          .from(INCIDENTS)
          .whereRaw(`${INCIDENTS}.record_id = ${TABLES.records}.id`),
      );
    for (const { id } of missing) {
      await this.db.transaction(tx => this.rebuild(tx, [id]));
    }
    if (missing.length > 0) {
      // Statistics for the rows just built, so that reads get index plans,
      // and on PostgreSQL the visibility map, so that their index-only
      // scans do not visit the table for every row (they did, 2026-12-07:
      // ~25% of the roll-up's lead-time statement), before autovacuum (if
      // it runs at all) gets to these tables.
      const analyze =
        this.db.client.dialect === 'postgresql' ? 'VACUUM ANALYZE' : 'ANALYZE';
      for (const table of [DEPLOYMENTS, CHANGES, INCIDENTS]) {
        await this.db.raw(`${analyze} ${table}`);
      }
    }
    return missing.length;
  }

  private async insert(
    tx: Knex.Transaction,
    table: string,
    rows: object[],
  ): Promise<void> {
    for (const chunk of chunks(rows)) {
      await tx(table).insert(chunk);
    }
  }

  /** Serialises fact changes per Record, in id order (no deadlocks). */
  private lock(tx: Knex.Transaction, recordIds: string[], out: Statements) {
    if (this.db.client.dialect !== 'postgresql') return;
    for (const id of [...new Set(recordIds)].sort()) {
      out.push(tx.raw(`SELECT pg_advisory_xact_lock(7301, hashtext(?))`, [id]));
    }
  }

  /**
   * Counts new deployments, then moves what they can change: changes they
   * ship earlier, and incidents that now link to them.
   */
  private addDeployments(
    tx: Knex.Transaction,
    events: EventRow[],
    out: Statements,
  ) {
    if (events.length === 0) return;
    const perInstant = groupBy(
      events,
      e => `${e.record_id}\u0000${ms(e.occurred_at)}`,
    );
    const rows = [...perInstant.values()]
      .map(list => ({
        record_id: list[0].record_id,
        at: ms(list[0].occurred_at),
        deployments: new Set(list.map(e => e.raw_event_id)).size,
      }))
      .sort(
        (a, b) => a.record_id.localeCompare(b.record_id, 'en') || a.at - b.at,
      );
    for (const chunk of chunks(rows)) {
      out.push(
        tx(DEPLOYMENTS)
          .insert(chunk)
          .onConflict(['record_id', 'at'])
          .merge({
            deployments: tx.raw(
              `${DEPLOYMENTS}.deployments + excluded.deployments`,
            ),
          }),
      );
    }

    for (const [recordId, list] of groupBy(events, e => e.record_id)) {
      this.moveChanges(tx, recordId, list, out);
      this.relinkIncidents(tx, recordId, list, out);
    }
  }

  /**
   * Changes that new deployments ship earlier: per new deployment T, those
   * after the latest deployment before T and at or before T (now shipped by
   * T, unless an earlier deployment of their commit shipped them), and those
   * of its commit. One statement per run of instants (deploymentRuns): the
   * changes after the latest deployment before the run and up to its last
   * instant, an index range with constant bounds, each with the first
   * deployment at or after it, kept when that is one of the instants. Every
   * lookup is by index whatever the planner's statistics say: joining each
   * instant to the Record's changes read all of them once per instant when
   * the statistics were behind a busy Record (a fold of 500 deployments to
   * a Record with 30,000 changes took seconds).
   */
  protected moveChanges(
    tx: Knex.Transaction,
    recordId: string,
    deployments: EventRow[],
    out: Statements,
  ) {
    for (const run of deploymentRuns(deployments)) {
      out.push(
        tx.raw(
          `WITH v(at) AS (VALUES ${timeRows(run.length)}),
          shipping AS MATERIALIZED (
            SELECT c.commit_sha, c.deployed_at,
              (SELECT min(d.at) FROM ${DEPLOYMENTS} d
                WHERE d.record_id = c.record_id AND d.at >= c.changed_at) AS at
            FROM ${CHANGES} c
            WHERE c.record_id = ? AND c.changed_at <= ?
              AND c.changed_at > COALESCE((SELECT max(d.at) FROM ${DEPLOYMENTS} d
                WHERE d.record_id = ? AND d.at < ?), ${Number.MIN_SAFE_INTEGER})
          )
          UPDATE ${CHANGES} SET deployed_at = shipping.at FROM shipping
          WHERE ${CHANGES}.record_id = ?
            AND ${CHANGES}.commit_sha = shipping.commit_sha
            AND shipping.at IN (SELECT at FROM v)
            AND (shipping.deployed_at IS NULL OR shipping.deployed_at > shipping.at)`,
          [...run, recordId, run[run.length - 1], recordId, run[0], recordId],
        ),
      );
    }
    const firstBySha = new Map<string, number>();
    for (const e of deployments) {
      const at = ms(e.occurred_at);
      if (e.commit_sha && !(firstBySha.get(e.commit_sha)! <= at)) {
        firstBySha.set(e.commit_sha, at);
      }
    }
    const shas = [...firstBySha].sort(([a], [b]) => (a < b ? -1 : 1));
    for (const chunk of chunks(shas)) {
      const deployedAt = `CASE commit_sha ${chunk
        .map(() => 'WHEN ? THEN CAST(? AS bigint)')
        .join(' ')} END`;
      const cases = chunk.flat();
      out.push(
        tx.raw(
          `UPDATE ${CHANGES} SET deployed_at = ${deployedAt}
        WHERE record_id = ? AND commit_sha IN (${placeholders(chunk)})
          AND (deployed_at IS NULL OR deployed_at > ${deployedAt})`,
          [...cases, recordId, ...chunk.map(([sha]) => sha), ...cases],
        ),
      );
    }
  }

  /**
   * Incidents that now link to a new deployment T: those opened from T up to
   * the next deployment after it, whose link is earlier than T (or none).
   * As in moveChanges, per run of instants: the incidents opened from its
   * first instant up to the next deployment after its last, each with the
   * latest deployment at or before its opening, kept when that is one of
   * the instants.
   */
  protected relinkIncidents(
    tx: Knex.Transaction,
    recordId: string,
    deployments: EventRow[],
    out: Statements,
  ) {
    for (const run of deploymentRuns(deployments)) {
      out.push(
        tx.raw(
          `WITH v(at) AS (VALUES ${timeRows(run.length)}),
          linking AS MATERIALIZED (
            SELECT i.incident_key, i.linked_at,
              (SELECT max(d.at) FROM ${DEPLOYMENTS} d
                WHERE d.record_id = i.record_id AND d.at <= i.opened_at) AS at
            FROM ${INCIDENTS} i
            WHERE i.record_id = ? AND i.opened_at >= ?
              AND i.opened_at < COALESCE((SELECT min(d.at) FROM ${DEPLOYMENTS} d
                WHERE d.record_id = ? AND d.at > ?), ${Number.MAX_SAFE_INTEGER})
          )
          UPDATE ${INCIDENTS} SET linked_at = linking.at FROM linking
          WHERE ${INCIDENTS}.record_id = ?
            AND ${INCIDENTS}.incident_key = linking.incident_key
            AND linking.at IN (SELECT at FROM v)
            AND (linking.linked_at IS NULL OR linking.linked_at < linking.at)`,
          [...run, recordId, run[0], recordId, run[run.length - 1], recordId],
        ),
      );
    }
  }

  /**
   * Recomputes the changes of these events' commits: earliest change, then
   * its deployment from the stored deployments and the commit's own.
   */
  private refreshChanges(
    tx: Knex.Transaction,
    recordId: string,
    events: EventRow[],
    out: Statements,
  ) {
    if (events.length === 0) return;
    const earliest = new Map<string, number>();
    for (const e of events) {
      const at = ms(e.occurred_at);
      if (!(earliest.get(e.commit_sha!)! <= at))
        earliest.set(e.commit_sha!, at);
    }
    const shas = [...earliest.keys()].sort();
    for (const chunk of chunks(shas)) {
      out.push(
        tx(CHANGES)
          .insert(
            chunk.map(sha => ({
              record_id: recordId,
              commit_sha: sha,
              changed_at: earliest.get(sha)!,
            })),
          )
          .onConflict(['record_id', 'commit_sha'])
          .merge({
            changed_at: tx.raw(
              `CASE WHEN excluded.changed_at < ${CHANGES}.changed_at
              THEN excluded.changed_at ELSE ${CHANGES}.changed_at END`,
            ),
          }),
      );
    }
    for (const chunk of chunks(shas)) {
      out.push(
        tx.raw(
          `UPDATE ${CHANGES} SET deployed_at = (SELECT min(t) FROM (
            SELECT min(d.at) AS t FROM ${DEPLOYMENTS} d
            WHERE d.record_id = ${CHANGES}.record_id AND d.at >= ${CHANGES}.changed_at
          UNION ALL
            SELECT ${this.epochMs('min(e.occurred_at)')} AS t FROM ${EVENTS} e
            WHERE e.record_id = ${CHANGES}.record_id
              AND e.commit_sha = ${CHANGES}.commit_sha AND ${deployed('e')}
          ) first_deployments)
        WHERE record_id = ? AND commit_sha IN (${placeholders(chunk)})`,
          [recordId, ...chunk],
        ),
      );
    }
  }

  /** Recomputes these events' incidents from all their stored events. */
  private async refreshIncidents(
    tx: Knex.Transaction,
    recordId: string,
    events: EventRow[],
  ) {
    if (events.length === 0) return;
    const keys = [...new Set(events.map(incidentKey))].sort();
    const pairs = [
      ...new Map(
        events.map(e => [incidentKey(e), [e.source, e.incident_id ?? '']]),
      ).values(),
    ];
    for (const chunk of chunks(pairs)) {
      const rows: FactRow[] = await tx(EVENTS)
        .select(FACT_COLUMNS)
        .where({ record_id: recordId })
        .whereIn('kind', INCIDENT_KINDS)
        .whereIn(['source', 'incident_id'], chunk)
        .orderBy(['occurred_at', 'kind', 'id']);
      const facts = [...groupBy(rows, incidentKey)].flatMap(([key, list]) =>
        factsFromRows(list).incidents.map(incident => ({
          record_id: recordId,
          incident_key: key,
          incident_id: incident.id,
          opened_at: incident.openedAt,
          resolved_at: incident.resolvedAt ?? null,
        })),
      );
      if (facts.length > 0) {
        await tx(INCIDENTS)
          .insert(facts)
          .onConflict(['record_id', 'incident_key'])
          .merge(['incident_id', 'opened_at', 'resolved_at']);
      }
    }
    for (const chunk of chunks(keys)) {
      await tx.raw(
        `UPDATE ${INCIDENTS} SET linked_at = (
          SELECT max(d.at) FROM ${DEPLOYMENTS} d
          WHERE d.record_id = ${INCIDENTS}.record_id AND d.at <= ${INCIDENTS}.opened_at)
        WHERE record_id = ? AND incident_key IN (${placeholders(chunk)})`,
        [recordId, ...chunk],
      );
    }
  }

  /** A timestamp expression as epoch milliseconds (SQLite stores them so). */
  private epochMs(expression: string): string {
    return this.db.client.dialect === 'postgresql'
      ? `floor(extract(epoch from ${expression}) * 1000)::bigint`
      : expression;
  }
}
