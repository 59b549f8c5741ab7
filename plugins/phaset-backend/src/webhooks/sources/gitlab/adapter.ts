import { PhasetEvent } from '@internal/backstage-plugin-phaset-common';
import {
  deploymentResult,
  environmentNotTracked,
  Fields,
  hasLabel,
  NULL_SHA,
  shortBranch,
  withDelivery,
  incidentResults,
} from '../../fields';
import { Adapter, AdapterOptions, AdapterResult } from '../../types';

const source = 'gitlab' as const;

function push(f: Fields): AdapterResult {
  if (f.get('after') === NULL_SHA) {
    return { ignored: 'push deleted a branch' };
  }
  const branch = shortBranch(f.string('ref'));
  // GitLab lists at most 20 commits per push; older ones are not reported.
  const events = f.array('commits').map(
    (c): PhasetEvent => ({
      kind: 'change',
      source,
      commitSha: c.string('id'),
      branch,
      timestamp: c.date('timestamp'),
      externalId: `${source}:commit:${c.string('id')}`,
      url: c.link('url'),
    }),
  );
  return events.length ? { events } : { ignored: 'push has no commits' };
}

function mergeRequest(f: Fields): AdapterResult {
  const mr = f.object('object_attributes');
  const action = mr.optionalString('action') ?? '';
  const prId = mr.id('id');
  const createdAt = mr.date('created_at');
  const url = mr.link('url');
  const base = {
    source,
    prId,
    createdAt,
    externalId: `${source}:mr:${prId}`,
    url,
  };
  const updatedAt = mr.date('updated_at');
  switch (action) {
    case 'open':
      // GitLab sends no line counts, so review size is not available.
      return { events: [{ kind: 'pr-opened', ...base, timestamp: createdAt }] };
    case 'merge': {
      const mergedAt = mr.optionalDate('merged_at') ?? updatedAt;
      return {
        events: [{ kind: 'pr-merged', ...base, mergedAt, timestamp: mergedAt }],
      };
    }
    case 'close': {
      const closedAt = mr.optionalDate('closed_at') ?? updatedAt;
      return {
        events: [{ kind: 'pr-closed', ...base, closedAt, timestamp: closedAt }],
      };
    }
    case 'approved':
    case 'approval': {
      // "approval" is one approver, "approved" the final one; keyed per user
      // so the final approver is not counted twice.
      const user = f.optionalId('user.id') ?? f.optionalId('user.username');
      return {
        events: [
          {
            kind: 'review-approved',
            source,
            prId,
            createdAt,
            submittedAt: updatedAt,
            timestamp: updatedAt,
            externalId: user
              ? `${source}:mr:${prId}:approval:${user}`
              : undefined,
            url,
          },
        ],
      };
    }
    default:
      return { ignored: `merge request action "${action}" is not tracked` };
  }
}

function note(f: Fields): AdapterResult {
  const noteAttrs = f.object('object_attributes');
  const type = noteAttrs.string('noteable_type');
  let target: 'issue' | 'pr';
  if (type === 'Issue') {
    target = 'issue';
  } else if (type === 'MergeRequest') {
    target = 'pr';
  } else {
    return { ignored: `comments on ${type} are not tracked` };
  }
  return {
    events: [
      {
        kind: 'comment',
        source,
        target,
        timestamp: noteAttrs.date('created_at'),
        externalId: `${source}:note:${noteAttrs.id('id')}`,
        url: noteAttrs.link('url'),
      },
    ],
  };
}

function titles(labels: Fields[]): string[] {
  return labels.map(l => l.string('title'));
}

function issue(f: Fields, options: AdapterOptions): AdapterResult {
  const attrs = f.object('object_attributes');
  const action = attrs.optionalString('action') ?? '';
  const id = attrs.id('id');
  const createdAt = attrs.date('created_at');
  const label = options.incidentLabel;
  const labels = titles(
    f.get('labels') === undefined
      ? attrs.optionalArray('labels')
      : f.array('labels'),
  );
  // GitLab's own incident issue type counts too.
  const isIncident =
    hasLabel(labels, label) ||
    attrs.optionalString('issue_type') === 'incident' ||
    attrs.optionalString('type') === 'Incident';
  const { opened, resolved } = incidentResults(
    source,
    id,
    createdAt,
    undefined,
    attrs.link('url'),
  );
  const notIncident = { ignored: `issue ${id} is not an incident` };

  if (action === 'open') {
    return isIncident ? opened(createdAt) : notIncident;
  }
  if (action === 'close') {
    return isIncident
      ? resolved(attrs.optionalDate('closed_at') ?? attrs.date('updated_at'))
      : notIncident;
  }
  if (action === 'update' && f.get('changes.labels') !== undefined) {
    const before = hasLabel(
      titles(f.optionalArray('changes.labels.previous')),
      label,
    );
    const after = hasLabel(
      titles(f.optionalArray('changes.labels.current')),
      label,
    );
    if (!before && after) {
      return opened(attrs.date('updated_at'));
    }
    if (before && !after) {
      return resolved(attrs.date('updated_at'));
    }
  }
  return {
    ignored: `issue action "${action}" does not open or close an incident`,
  };
}

function deployment(f: Fields, options: AdapterOptions): AdapterResult {
  const status = f.string('status');
  const result = deploymentResult(status, ['success'], ['failed']);
  if (!result) {
    return { ignored: `deployment status "${status}" is not a finished one` };
  }
  const environment = f.string('environment');
  const notTracked = environmentNotTracked(environment, options);
  if (notTracked) {
    return { ignored: notTracked };
  }
  // The hook has only the short SHA; the full one ends the commit URL.
  const shortSha = f.string('short_sha');
  const fromUrl = f.optionalString('commit_url')?.split('/').pop();
  const deploymentId = f.id('deployment_id');
  return {
    events: [
      {
        kind: 'deployment',
        source,
        commitSha: fromUrl?.startsWith(shortSha) ? fromUrl : shortSha,
        environment,
        result,
        deploymentId,
        timestamp: f.date('status_changed_at'),
        externalId: `${source}:deployment:${deploymentId}:${status}`,
        // The job that deployed.
        url: f.link('deployable_url'),
      },
    ],
  };
}

/** GitLab project webhooks; the event name is in `X-Gitlab-Event`. */
export const adaptGitlab: Adapter = (headers, body, options) => {
  const event = headers['x-gitlab-event'] ?? '';
  const f = new Fields(`GitLab ${event}`, body);
  return withDelivery(route(event, f, options), headers['x-gitlab-event-uuid']);
};

function route(
  event: string,
  f: Fields,
  options: AdapterOptions,
): AdapterResult {
  switch (event) {
    case 'Push Hook':
      return push(f);
    case 'Merge Request Hook':
      return mergeRequest(f);
    case 'Note Hook':
    case 'Confidential Note Hook':
      return note(f);
    case 'Issue Hook':
    case 'Confidential Issue Hook':
      return issue(f, options);
    case 'Deployment Hook':
      return deployment(f, options);
    case 'Pipeline Hook':
      return {
        ignored: 'pipelines are not deployments; enable Deployment events',
      };
    default:
      return { ignored: `GitLab event "${event}" is not tracked` };
  }
}
