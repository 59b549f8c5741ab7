import { Knex } from 'knex';
import { MetricsFacts } from '../metrics/computeMetrics';
import { toDate } from './time';

type FactRow = {
  id: string;
  record_id: string;
  raw_event_id: string;
  source: string;
  kind: string;
  occurred_at: Date | string;
  commit_sha: string | null;
  result: string | null;
  is_production: boolean | number | null;
  incident_id: string | null;
  opened_at: Date | string | null;
  resolved_at: Date | string | null;
  pr_id: string | null;
  pr_created_at: Date | string | null;
  merged_at: Date | string | null;
  closed_at: Date | string | null;
  submitted_at: Date | string | null;
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

const ms = (value: Date | string | null) =>
  value === null ? undefined : toDate(value).getTime();
const num = (value: number | null) => (value === null ? undefined : Number(value));

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
  const incidents = new Map<string, { id: string; openedAt?: number; resolvedAt?: number }>();
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
        if (row.commit_sha) facts.changes.push({ at, commitSha: row.commit_sha });
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
        const opened = ms(row.opened_at) ?? (row.kind === 'incident-opened' ? at : undefined);
        if (opened !== undefined && (incident.openedAt === undefined || row.kind === 'incident-opened')) {
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
}
