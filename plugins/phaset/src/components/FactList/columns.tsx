import type { TableColumn } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import type {
  ChangeItem,
  DeploymentItem,
  FactItem,
  FactListKind,
  IncidentItem,
  PullRequestItem,
} from '../../api';
import { formatDateTime, formatDuration } from '../ui';

const SOURCE_NAMES: Record<string, string> = {
  phaset: 'Phaset CI',
  github: 'GitHub',
  gitlab: 'GitLab',
  bitbucket: 'Bitbucket',
  'azure-devops': 'Azure DevOps',
  jira: 'Jira',
  linear: 'Linear',
  devlake: 'DevLake',
};

const sourceName = (source?: string) =>
  source ? SOURCE_NAMES[source] ?? source : 'unknown';

const shortSha = (sha: string) =>
  /^[0-9a-f]{12,}$/i.test(sha) ? sha.slice(0, 8) : sha;

const time = (iso?: string) => (iso ? formatDateTime(iso) : '—');
const duration = (seconds?: number) =>
  seconds === undefined ? '—' : formatDuration(seconds);

/** Ascending order of an optional number or time; missing ones last. */
function by<T>(value: (row: T) => number | string | undefined) {
  return (a: T, b: T) => {
    const x = value(a);
    const y = value(b);
    if (x === undefined || y === undefined) {
      return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0);
    }
    if (x < y) return -1;
    return x > y ? 1 : 0;
  };
}

/** The tool a thing came from, linking to its page there when the tool gave one. */
export function SourceLink(props: { source?: string; url?: string }) {
  const { source, url } = props;
  if (!url) {
    return (
      <Typography variant="body2" color="textSecondary">
        {sourceName(source)}
      </Typography>
    );
  }
  return (
    <Link
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      data-testid="fact-source-link"
    >
      Open in {sourceName(source)}
    </Link>
  );
}

/** The last column of every list: where the thing is seen in its tool. */
function sourceColumn<
  T extends { source?: string; url?: string },
>(): TableColumn<T> {
  return {
    title: 'Source',
    sorting: false,
    render: row => <SourceLink source={row.source} url={row.url} />,
  };
}

const deployments: TableColumn<DeploymentItem>[] = [
  {
    title: 'Deployed',
    customSort: by(row => row.deployedAt),
    render: row => time(row.deployedAt),
  },
  {
    title: 'Outcome',
    customSort: by(row => (row.failed ? 0 : 1) + (row.rework ? 0 : 2)),
    render: row => (
      <span style={{ display: 'inline-flex', gap: 4, flexWrap: 'wrap' }}>
        {row.failed ? (
          <Chip
            size="small"
            color="secondary"
            label={`Failed: ${row.incidents.map(i => i.id).join(', ')}`}
          />
        ) : (
          <Chip size="small" variant="outlined" label="No incident" />
        )}
        {row.rework && <Chip size="small" variant="outlined" label="Rework" />}
      </span>
    ),
  },
  {
    title: 'Commits',
    sorting: false,
    render: row =>
      row.commitShas.length ? (
        <code>{row.commitShas.map(shortSha).join(', ')}</code>
      ) : (
        '—'
      ),
  },
  {
    title: 'Changes shipped',
    customSort: by(row => row.changes.count),
    render: row =>
      row.changes.count === 0
        ? 'none'
        : `${row.changes.count} · median lead time ${duration(
            row.changes.leadTimeMedianSeconds ?? undefined,
          )}`,
  },
  sourceColumn(),
];

const changes: TableColumn<ChangeItem>[] = [
  {
    title: 'Commit',
    customSort: by(row => row.commitSha),
    render: row => <code>{shortSha(row.commitSha)}</code>,
  },
  {
    title: 'Changed',
    customSort: by(row => row.changedAt),
    render: row => time(row.changedAt),
  },
  {
    title: 'Deployed',
    customSort: by(row => row.deployedAt),
    render: row =>
      row.state === 'pending' ? (
        <Chip
          size="small"
          variant="outlined"
          label={
            row.deployedAt
              ? `after the window (${time(row.deployedAt)})`
              : 'not deployed yet'
          }
        />
      ) : (
        time(row.deployedAt)
      ),
  },
  {
    title: 'Lead time',
    customSort: by(row => row.leadTimeSeconds ?? row.waitingSeconds),
    render: row =>
      row.state === 'pending'
        ? `waiting ${duration(row.waitingSeconds)}`
        : duration(row.leadTimeSeconds),
  },
  sourceColumn(),
];

const incidents: TableColumn<IncidentItem>[] = [
  { title: 'Incident', customSort: by(row => row.id), render: row => row.id },
  {
    title: 'Opened',
    customSort: by(row => row.openedAt),
    render: row => time(row.openedAt),
  },
  {
    title: 'Resolved',
    customSort: by(row => row.resolvedAt),
    render: row =>
      row.state === 'open' ? (
        <Chip size="small" color="secondary" label="open at the window's end" />
      ) : (
        time(row.resolvedAt)
      ),
  },
  {
    title: 'Time to restore',
    customSort: by(row => row.restoreSeconds ?? row.ageSeconds),
    render: row =>
      row.state === 'open'
        ? `open for ${duration(row.ageSeconds)}`
        : duration(row.restoreSeconds),
  },
  {
    title: 'Caused by the deployment of',
    customSort: by(row => row.linkedDeploymentAt),
    render: row =>
      row.linkedDeploymentAt ? time(row.linkedDeploymentAt) : 'none before it',
  },
  {
    title: 'Recovery time',
    customSort: by(row => row.recoverySeconds),
    render: row => duration(row.recoverySeconds),
  },
  sourceColumn(),
];

const pullRequests: TableColumn<PullRequestItem>[] = [
  {
    title: 'Pull request',
    customSort: by(row => row.prId ?? row.id),
    render: row => row.prId ?? 'unnamed',
  },
  {
    title: 'Created',
    customSort: by(row => row.createdAt),
    render: row => time(row.createdAt),
  },
  {
    title: 'First review',
    customSort: by(row => row.firstReviewAt),
    render: row => time(row.firstReviewAt),
  },
  {
    title: 'Merged or closed',
    customSort: by(row => row.mergedAt ?? row.closedAt),
    render: row => {
      if (row.mergedAt) return `merged ${time(row.mergedAt)}`;
      if (row.closedAt) return `closed ${time(row.closedAt)}`;
      return 'open';
    },
  },
  {
    title: 'Merge time',
    customSort: by(row => row.mergeSeconds),
    render: row => duration(row.mergeSeconds),
  },
  {
    title: 'Review time',
    customSort: by(row => row.reviewSeconds),
    render: row => duration(row.reviewSeconds),
  },
  {
    title: 'Size',
    customSort: by(row =>
      row.additions === undefined || row.deletions === undefined
        ? undefined
        : row.additions + row.deletions,
    ),
    render: row =>
      row.additions === undefined || row.deletions === undefined
        ? '—'
        : `+${row.additions} −${row.deletions}`,
  },
  sourceColumn(),
];

/** The columns of each list, every one sortable but the links. */
export const FACT_COLUMNS: {
  [K in FactListKind]: TableColumn<FactItem<K>>[];
} = {
  deployments,
  changes,
  incidents,
  'pull-requests': pullRequests,
};

/** What each list is, and why it can be empty. */
export const FACT_LISTS: Record<
  FactListKind,
  { title: string; noun: [string, string]; order: string; empty: string }
> = {
  deployments: {
    title: 'Deployments',
    noun: ['deployment', 'deployments'],
    order: 'Failed ones first, then the latest.',
    empty:
      'No successful production deployment in this window. A deployment counts when a tool reports it finished successfully in a production environment.',
  },
  changes: {
    title: 'Changes',
    noun: ['change', 'changes'],
    order:
      'Changes deployed in the window, and those of the window still waiting at its end; the slowest first.',
    empty:
      'No change was deployed in this window and none waits: lead time needs change events (commits, or a push webhook) and deployments.',
  },
  incidents: {
    title: 'Incidents',
    noun: ['incident', 'incidents'],
    order:
      'Incidents resolved in the window, and those open at its end; the longest first.',
    empty:
      'No incident was resolved in this window and none was open at its end.',
  },
  'pull-requests': {
    title: 'Pull requests',
    noun: ['pull request', 'pull requests'],
    order:
      'Pull requests opened, merged, closed or first reviewed in the window; the longest open first.',
    empty:
      'No pull request was opened, merged, closed or reviewed in this window.',
  },
};
