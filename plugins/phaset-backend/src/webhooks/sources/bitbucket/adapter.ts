import { PhasetEvent } from '@internal/backstage-plugin-phaset-common';
import { Fields, sameText, withDelivery } from '../../fields';
import { Adapter, AdapterOptions, AdapterResult } from '../../types';

const source = 'bitbucket' as const;

// Issue states that end an incident.
const CLOSED_ISSUE_STATES = [
  'resolved',
  'closed',
  'duplicate',
  'invalid',
  'wontfix',
];

function push(f: Fields): AdapterResult {
  const events = f.array('push.changes').flatMap(change => {
    // `new` is null when a branch or tag was deleted.
    if (change.get('new') === null || change.get('new.type') !== 'branch') {
      return [];
    }
    const branch = change.string('new.name');
    return change.optionalArray('commits').map(
      (c): PhasetEvent => ({
        kind: 'change',
        source,
        commitSha: c.string('hash'),
        branch,
        timestamp: c.date('date'),
        externalId: `${source}:commit:${c.string('hash')}`,
        url: c.link('links.html.href'),
      }),
    );
  });
  return events.length
    ? { events }
    : { ignored: 'push has no commits on a branch' };
}

function pullRequest(action: string, f: Fields): AdapterResult {
  const pr = f.object('pullrequest');
  const prId = pr.id('id');
  const createdAt = pr.date('created_on');
  const url = pr.link('links.html.href');
  const base = {
    source,
    prId,
    createdAt,
    externalId: `${source}:pr:${prId}`,
    url,
  };
  switch (action) {
    case 'created':
      // Bitbucket sends no line counts, so review size is not available.
      return { events: [{ kind: 'pr-opened', ...base, timestamp: createdAt }] };
    case 'fulfilled': {
      const mergedAt = pr.date('updated_on');
      return {
        events: [{ kind: 'pr-merged', ...base, mergedAt, timestamp: mergedAt }],
      };
    }
    case 'rejected': {
      const closedAt = pr.date('updated_on');
      return {
        events: [{ kind: 'pr-closed', ...base, closedAt, timestamp: closedAt }],
      };
    }
    case 'approved':
    case 'changes_request_created': {
      const verdict = f.object(
        action === 'approved' ? 'approval' : 'changes_request',
      );
      const submittedAt = verdict.date('date');
      const reviewer = verdict.optionalId('user.uuid');
      return {
        events: [
          {
            kind: action === 'approved' ? 'review-approved' : 'review-changes',
            source,
            prId,
            createdAt,
            submittedAt,
            timestamp: submittedAt,
            externalId: reviewer
              ? `${source}:pr:${prId}:review:${reviewer}`
              : undefined,
            url,
          },
        ],
      };
    }
    case 'comment_created':
      return comment(f, 'pr');
    default:
      return { ignored: `pullrequest:${action} is not tracked` };
  }
}

function comment(f: Fields, target: 'issue' | 'pr'): AdapterResult {
  const c = f.object('comment');
  return {
    events: [
      {
        kind: 'comment',
        source,
        target,
        timestamp: c.date('created_on'),
        externalId: `${source}:comment:${c.id('id')}`,
        url: c.link('links.html.href'),
      },
    ],
  };
}

function issue(
  action: string,
  f: Fields,
  options: AdapterOptions,
): AdapterResult {
  if (action === 'comment_created') {
    return comment(f, 'issue');
  }
  const i = f.object('issue');
  const id = i.id('id');
  // Bitbucket issues have no labels; the component stands in for one.
  const component =
    i.optionalString('component') ?? i.optionalString('component.name');
  if (!component || !sameText(component, options.incidentLabel)) {
    return {
      ignored: `issue ${id} is not in component "${options.incidentLabel}"`,
    };
  }
  const createdAt = i.date('created_on');
  const base = {
    source,
    id,
    createdAt,
    externalId: `${source}:issue:${id}`,
    url: i.link('links.html.href'),
  };
  if (action === 'created') {
    return {
      events: [{ kind: 'incident-opened', ...base, timestamp: createdAt }],
    };
  }
  if (action === 'updated' && CLOSED_ISSUE_STATES.includes(i.string('state'))) {
    const resolvedAt = i.date('updated_on');
    return {
      events: [
        {
          kind: 'incident-resolved',
          ...base,
          resolvedAt,
          timestamp: resolvedAt,
        },
      ],
    };
  }
  return { ignored: `issue:${action} does not open or close an incident` };
}

/** Bitbucket Cloud webhooks; the event key is in `X-Event-Key`. */
export const adaptBitbucket: Adapter = (headers, body, options) => {
  const eventKey = headers['x-event-key'] ?? '';
  const [category, action = ''] = eventKey.split(':');
  const f = new Fields(`Bitbucket ${eventKey}`, body);
  let result: AdapterResult;
  if (eventKey === 'repo:push') {
    result = push(f);
  } else if (category === 'pullrequest') {
    result = pullRequest(action, f);
  } else if (category === 'issue') {
    result = issue(action, f, options);
  } else {
    result = { ignored: `Bitbucket event "${eventKey}" is not tracked` };
  }
  return withDelivery(result, headers['x-request-uuid']);
};
