import { PhasetEvent } from '@internal/backstage-plugin-phaset-common';
import {
  deploymentResult,
  environmentNotTracked,
  Fields,
  hasLabel,
  now,
  sameText,
  shortBranch,
  withDelivery,
  incidentResults,
} from '../../fields';
import { Adapter, AdapterOptions, AdapterResult } from '../../types';

const source = 'azure-devops' as const;

// Work item states that end an incident, across the built-in processes.
const CLOSED_STATES = ['Resolved', 'Closed', 'Done', 'Removed', 'Mitigated'];

function push(r: Fields): AdapterResult {
  const branch = r
    .optionalArray('refUpdates')
    .map(u => u.optionalString('name'))
    .find(name => name?.startsWith('refs/heads/'));
  const events = r.optionalArray('commits').map(
    (c): PhasetEvent => ({
      kind: 'change',
      source,
      commitSha: c.string('commitId'),
      branch: branch && shortBranch(branch),
      timestamp: c.date('committer.date'),
      externalId: `${source}:commit:${c.string('commitId')}`,
      // A push's commit url is the web page (a pull request's, the REST API).
      url: c.link('url'),
    }),
  );
  return events.length ? { events } : { ignored: 'push has no commits' };
}

function pullRequest(action: string, r: Fields): AdapterResult {
  const prId = r.id('pullRequestId');
  const createdAt = r.date('creationDate');
  // The payload's `url` is the REST API; the web page is under the repository.
  const repository = r.link('repository.remoteUrl');
  const base = {
    source,
    prId,
    createdAt,
    externalId: `${source}:pr:${prId}`,
    url: repository && `${repository}/pullrequest/${prId}`,
  };
  const status = r.string('status');
  if (action === 'created') {
    return { events: [{ kind: 'pr-opened', ...base, timestamp: createdAt }] };
  }
  // "merged" also fires for failed merge attempts; only a completed PR is
  // merged. "updated" fires on completion too: the shared externalId lets
  // the store keep one pr-merged.
  if ((action === 'merged' || action === 'updated') && status === 'completed') {
    const mergedAt = r.date('closedDate');
    return {
      events: [{ kind: 'pr-merged', ...base, mergedAt, timestamp: mergedAt }],
    };
  }
  if (action === 'updated' && status === 'abandoned') {
    const closedAt = r.date('closedDate');
    return {
      events: [{ kind: 'pr-closed', ...base, closedAt, timestamp: closedAt }],
    };
  }
  return {
    ignored: `git.pullrequest.${action} with status "${status}" is not tracked`,
  };
}

function prComment(r: Fields): AdapterResult {
  const comment = r.object('comment');
  return {
    events: [
      {
        kind: 'comment',
        source,
        target: 'pr',
        timestamp: comment.date('publishedDate'),
        externalId: `${source}:pr:${r.id(
          'pullRequest.pullRequestId',
        )}:comment:${comment.id('id')}`,
      },
    ],
  };
}

function deployment(f: Fields, options: AdapterOptions): AdapterResult {
  const environment = f.object('resource.environment');
  // Newer payloads carry resource.deployment.deploymentStatus; the documented
  // sample only the environment's status.
  const status =
    f.optionalString('resource.deployment.deploymentStatus') ??
    environment.string('status');
  const result = deploymentResult(
    status,
    ['succeeded'],
    ['failed', 'partiallySucceeded', 'rejected'],
  );
  if (!result) {
    return { ignored: `deployment status "${status}" is not a finished one` };
  }
  const name = environment.string('name');
  const notTracked = environmentNotTracked(name, options);
  if (notTracked) {
    return { ignored: notTracked };
  }
  const releaseId = f.id(['resource', 'environment', 'release', 'id']);
  const deploymentId = `${releaseId}/${environment.id('id')}`;
  return {
    events: [
      {
        // Release payloads do not name the deployed commit, so no lead time.
        kind: 'deployment',
        source,
        environment: name,
        result,
        deploymentId,
        timestamp: f.date('createdDate'),
      },
    ],
  };
}

function tags(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(';')
        .map(t => t.trim())
        .filter(Boolean)
    : [];
}

function workItem(
  action: string,
  f: Fields,
  options: AdapterOptions,
): AdapterResult {
  const r = f.object('resource');
  if (action === 'commented') {
    return {
      events: [
        {
          kind: 'comment',
          source,
          target: 'issue',
          timestamp: r.date(['fields', 'System.ChangedDate']),
        },
      ],
    };
  }
  // workitem.updated reports changes as {oldValue, newValue} and the
  // current item under `revision`; the other events carry the item itself.
  const item = action === 'updated' ? r.object('revision') : r;
  const id = item.id('id');
  const change = (name: string): { oldValue?: unknown; newValue?: unknown } =>
    (action === 'updated' && (r.get(['fields', name]) as object)) || {};
  const label = options.incidentLabel;
  const typeIsIncident = sameText(
    String(
      change('System.WorkItemType').newValue ??
        item.get(['fields', 'System.WorkItemType']),
    ),
    'Incident',
  );
  const tagsChange = change('System.Tags');
  const taggedBefore = hasLabel(tags(tagsChange.oldValue), label);
  const taggedNow = hasLabel(
    tags(tagsChange.newValue ?? item.get(['fields', 'System.Tags'])),
    label,
  );

  const createdAt = item.date(['fields', 'System.CreatedDate']);
  const { opened, resolved } = incidentResults(
    source,
    id,
    createdAt,
    `${source}:workitem:${id}`,
    item.link('_links.html.href') ?? r.link('_links.html.href'),
  );
  const changedAt = () =>
    r.optionalDate(['fields', 'System.ChangedDate', 'newValue']) ??
    item.date(['fields', 'System.ChangedDate']);

  if (action === 'updated' && !typeIsIncident && taggedBefore !== taggedNow) {
    return taggedNow ? opened(changedAt()) : resolved(changedAt());
  }
  if (!typeIsIncident && !taggedNow) {
    return { ignored: `work item ${id} is not an incident` };
  }
  const newState = change('System.State').newValue;
  switch (action) {
    case 'created':
      return opened(createdAt);
    case 'deleted':
      return resolved(now(options));
    case 'updated':
      return typeof newState === 'string' && CLOSED_STATES.includes(newState)
        ? resolved(changedAt())
        : { ignored: `update of work item ${id} does not close it` };
    default:
      return { ignored: `workitem.${action} is not tracked` };
  }
}

/** Azure DevOps service hooks; the event name is the body's `eventType`. */
export const adaptAzureDevops: Adapter = (_headers, body, options) => {
  const f = new Fields('Azure DevOps', body);
  const eventType = f.string('eventType');
  const scoped = new Fields(`Azure DevOps ${eventType}`, body);
  return withDelivery(route(eventType, scoped, options), f.optionalId('id'));
};

function route(
  eventType: string,
  f: Fields,
  options: AdapterOptions,
): AdapterResult {
  if (eventType === 'git.push') {
    return push(f.object('resource'));
  }
  if (eventType.startsWith('git.pullrequest.')) {
    return pullRequest(
      eventType.slice('git.pullrequest.'.length),
      f.object('resource'),
    );
  }
  if (eventType === 'ms.vss-code.git-pullrequest-comment-event') {
    return prComment(f.object('resource'));
  }
  if (eventType === 'ms.vss-release.deployment-completed-event') {
    return deployment(f, options);
  }
  if (eventType.startsWith('workitem.')) {
    return workItem(eventType.slice('workitem.'.length), f, options);
  }
  return { ignored: `Azure DevOps event "${eventType}" is not tracked` };
}
