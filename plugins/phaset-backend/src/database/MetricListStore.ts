import { Knex } from 'knex';
import { Window } from '../metrics/computeMetrics';
import type { DoraChangeFact, DoraIncidentFact } from '../metrics/doraFacts';
import type { DeploymentEventFact, SourceLink } from '../metrics/drillDown';
import { chunks } from './chunks';
import { DbMillis, DbTime, TABLES } from './tables';
import { toDate } from './time';

const EVENTS = TABLES.events;

const millis = (value: DbMillis | null) =>
  value === null ? undefined : Number(value);
const optional = (value: string | null) => value ?? undefined;

const PR_KINDS = [
  'pr-opened',
  'pr-merged',
  'pr-closed',
  'review-approved',
  'review-changes',
];

/**
 * Reads the rows behind a Record's metrics for one window, for the lists a
 * person opens from a number (metrics/drillDown.ts): its production
 * deployment events, its DORA facts of the window, and the links of the
 * things one page lists. Reads only; the tables are written by EventStore
 * and DoraFactStore.
 */
export class MetricListStore {
  constructor(private readonly db: Knex) {}

  /**
   * The window's bounds as the facts compare them: whole milliseconds, so
   * t >= from ⇔ t >= ⌈from⌉ and t < to ⇔ t < ⌈to⌉ (a seam for tests).
   */
  protected bounds(w: Window): [number, number] {
    return [Math.ceil(w.from), Math.ceil(w.to)];
  }

  /** The Record's successful production deployment events in the window. */
  async deploymentEvents(
    recordId: string,
    w: Window,
  ): Promise<DeploymentEventFact[]> {
    const [from, to] = this.bounds(w);
    const rows: Array<{
      raw_event_id: string;
      occurred_at: DbTime;
      commit_sha: string | null;
      source: string;
      url: string | null;
      environment: string | null;
      deployment_id: string | null;
      delivery_id: string | null;
    }> = await this.db(`${EVENTS} as e`)
      .leftJoin(`${TABLES.rawEvents} as r`, 'r.id', 'e.raw_event_id')
      .select(
        'e.raw_event_id',
        'e.occurred_at',
        'e.commit_sha',
        'e.source',
        'e.url',
        'e.environment',
        'e.deployment_id',
        'r.delivery_id',
      )
      .where('e.record_id', recordId)
      .whereRaw(
        `e.kind = 'deployment' AND e.result = 'success' AND e.is_production = true`,
      )
      .where('e.occurred_at', '>=', new Date(from))
      .where('e.occurred_at', '<', new Date(to))
      .orderBy(['e.occurred_at', 'e.raw_event_id', 'e.id']);
    return rows.map(row => ({
      rawEventId: row.raw_event_id,
      at: toDate(row.occurred_at).getTime(),
      commitSha: optional(row.commit_sha),
      source: row.source,
      deliveryId: optional(row.delivery_id),
      deploymentId: optional(row.deployment_id),
      environment: optional(row.environment),
      url: optional(row.url),
    }));
  }

  /**
   * The changes deployed in the window, and those changed in it and not
   * deployed by its end.
   */
  async changes(recordId: string, w: Window): Promise<DoraChangeFact[]> {
    const [from, to] = this.bounds(w);
    const rows: Array<{
      commit_sha: string;
      changed_at: DbMillis;
      deployed_at: DbMillis | null;
    }> = await this.db(TABLES.doraChanges)
      .select('commit_sha', 'changed_at', 'deployed_at')
      .where('record_id', recordId)
      .andWhere(q =>
        q
          .where(d =>
            d.where('deployed_at', '>=', from).where('deployed_at', '<', to),
          )
          .orWhere(p =>
            p
              .where('changed_at', '>=', from)
              .where('changed_at', '<', to)
              .andWhere(n =>
                n.whereNull('deployed_at').orWhere('deployed_at', '>=', to),
              ),
          ),
      );
    return rows.map(row => ({
      commitSha: row.commit_sha,
      changedAt: Number(row.changed_at),
      deployedAt: millis(row.deployed_at),
    }));
  }

  /**
   * The incidents resolved in the window, open at its end, or linked to one
   * of its deployments: all that its lists and rework rate need.
   */
  async incidents(recordId: string, w: Window): Promise<DoraIncidentFact[]> {
    const [from, to] = this.bounds(w);
    const rows: Array<{
      incident_key: string;
      incident_id: string;
      opened_at: DbMillis;
      resolved_at: DbMillis | null;
      linked_at: DbMillis | null;
    }> = await this.db(TABLES.doraIncidents)
      .select(
        'incident_key',
        'incident_id',
        'opened_at',
        'resolved_at',
        'linked_at',
      )
      .where('record_id', recordId)
      .andWhere(q =>
        q
          .where(r =>
            r.where('resolved_at', '>=', from).where('resolved_at', '<', to),
          )
          .orWhere(o =>
            o
              .where('opened_at', '<', to)
              .andWhere(n =>
                n.whereNull('resolved_at').orWhere('resolved_at', '>=', to),
              ),
          )
          .orWhere(l =>
            l.where('linked_at', '>=', from).where('linked_at', '<', to),
          ),
      );
    return rows.map(row => ({
      key: row.incident_key,
      id: row.incident_id,
      openedAt: Number(row.opened_at),
      resolvedAt: millis(row.resolved_at),
      linkedAt: millis(row.linked_at),
    }));
  }

  /** Per commit: the source and link of its earliest change event. */
  async changeLinks(
    recordId: string,
    shas: string[],
  ): Promise<Map<string, SourceLink>> {
    const links = new Map<string, SourceLink>();
    for (const chunk of chunks(shas)) {
      const rows: Array<{
        commit_sha: string;
        source: string;
        url: string | null;
      }> = await this.db(EVENTS)
        .select('commit_sha', 'source', 'url')
        .where('record_id', recordId)
        .where('kind', 'change')
        .whereIn('commit_sha', chunk)
        .orderBy(['occurred_at', 'id']);
      for (const row of rows) {
        const link = links.get(row.commit_sha);
        if (!link) {
          links.set(row.commit_sha, {
            source: row.source,
            url: optional(row.url),
          });
        } else if (!link.url && row.url) {
          link.url = row.url;
        }
      }
    }
    return links;
  }

  /** Per incident key (`source:id`): a link from its events. */
  async incidentLinks(
    recordId: string,
    keys: string[],
  ): Promise<Map<string, SourceLink>> {
    const links = new Map<string, SourceLink>();
    const ids = [...new Set(keys.map(key => key.slice(key.indexOf(':') + 1)))];
    for (const chunk of chunks(ids)) {
      const rows: Array<{
        source: string;
        incident_id: string;
        url: string | null;
      }> = await this.db(EVENTS)
        .select('source', 'incident_id', 'url')
        .where('record_id', recordId)
        .whereIn('kind', ['incident-opened', 'incident-resolved'])
        .whereIn('incident_id', chunk)
        .whereNotNull('url')
        .orderBy(['occurred_at', 'id']);
      for (const row of rows) {
        const key = `${row.source}:${row.incident_id}`;
        if (!links.has(key))
          links.set(key, { source: row.source, url: row.url! });
      }
    }
    return links;
  }

  /**
   * Per pull request (`source:prId`, or the id of an event naming none): its
   * source and a link from its rows.
   */
  async pullRequestLinks(
    recordId: string,
    ids: string[],
  ): Promise<Map<string, SourceLink>> {
    const links = new Map<string, SourceLink>();
    const keyed = ids.filter(id => id.includes(':'));
    const prIds = [...new Set(keyed.map(id => id.slice(id.indexOf(':') + 1)))];
    const eventIds = ids.filter(id => !id.includes(':'));
    for (const chunk of chunks(prIds)) {
      const rows: Array<{ source: string; pr_id: string; url: string | null }> =
        await this.db(EVENTS)
          .select('source', 'pr_id', 'url')
          .where('record_id', recordId)
          .whereIn('kind', PR_KINDS)
          .whereIn('pr_id', chunk)
          .whereNotNull('url');
      for (const row of rows) {
        const key = `${row.source}:${row.pr_id}`;
        if (!links.has(key))
          links.set(key, { source: row.source, url: row.url! });
      }
    }
    for (const chunk of chunks(eventIds)) {
      const rows: Array<{ id: string; source: string; url: string | null }> =
        await this.db(EVENTS)
          .select('id', 'source', 'url')
          .where('record_id', recordId)
          .whereIn('id', chunk);
      for (const row of rows) {
        links.set(row.id, { source: row.source, url: optional(row.url) });
      }
    }
    return links;
  }
}
