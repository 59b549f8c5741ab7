import { PhasetEvent } from '@internal/backstage-plugin-phaset-common';
import {
  deploymentResult,
  environmentNotTracked,
  Fields,
  hasLabel,
  now,
  NULL_SHA,
  sameText,
  shortBranch,
  withDelivery,
  incidentResults,
} from '../../fields';
import { Adapter, AdapterOptions, AdapterResult } from '../../types';

const source = 'github' as const;

function labelsOf(issue: Fields): string[] {
  return issue.optionalArray('labels').map(l => l.string('name'));
}

function push(f: Fields): AdapterResult {
  if (f.get('deleted') === true || f.get('after') === NULL_SHA) {
    return { ignored: 'push deleted a branch or tag' };
  }
  const ref = f.string('ref');
  if (!ref.startsWith('refs/heads/')) {
    return { ignored: `push to ${ref} is not a branch push` };
  }
  const events = f.array('commits').map(
    (c): PhasetEvent => ({
      kind: 'change',
      source,
      commitSha: c.string('id'),
      branch: shortBranch(ref),
      timestamp: c.date('timestamp'),
      url: c.link('url'),
      externalId: `${source}:commit:${c.string('id')}`,
    }),
  );
  return events.length ? { events } : { ignored: 'push has no commits' };
}

function deploymentStatus(f: Fields, options: AdapterOptions): AdapterResult {
  const status = f.object('deployment_status');
  const deployment = f.object('deployment');
  const state = status.string('state');
  const result = deploymentResult(state, ['success'], ['failure', 'error']);
  if (!result) {
    return { ignored: `deployment status "${state}" is not a finished one` };
  }
  const environment =
    status.optionalString('environment') ?? deployment.string('environment');
  const notTracked = environmentNotTracked(environment, options);
  if (notTracked) {
    return { ignored: notTracked };
  }
  return {
    events: [
      {
        kind: 'deployment',
        source,
        commitSha: deployment.string('sha'),
        environment,
        result,
        deploymentId: deployment.id('id'),
        timestamp: status.date('created_at'),
        // The run that deployed, when the deployer gave one (Actions does).
        url: status.link('target_url', 'log_url', 'environment_url'),
        externalId: `${source}:deployment_status:${status.id('id')}`,
      },
    ],
  };
}

function issues(f: Fields, options: AdapterOptions): AdapterResult {
  const action = f.string('action');
  const issue = f.object('issue');
  const id = issue.id('id');
  const createdAt = issue.date('created_at');
  const label = options.incidentLabel;
  const isIncident = hasLabel(labelsOf(issue), label);
  const changedLabel = f.optionalString('label.name');
  const { opened, resolved } = incidentResults(
    source,
    id,
    createdAt,
    undefined,
    issue.link('html_url'),
  );

  switch (action) {
    case 'opened':
      return isIncident ? opened(createdAt) : notIncident(issue, label);
    case 'labeled':
      // The incident starts when the label is put on, which is the last update.
      return changedLabel && sameText(changedLabel, label)
        ? opened(issue.date('updated_at'))
        : { ignored: `label "${changedLabel}" is not "${label}"` };
    case 'unlabeled':
      return changedLabel && sameText(changedLabel, label)
        ? resolved(issue.date('updated_at'))
        : { ignored: `label "${changedLabel}" is not "${label}"` };
    case 'closed':
      return isIncident
        ? resolved(issue.date('closed_at'))
        : notIncident(issue, label);
    case 'deleted':
      // The payload has no deletion time; the delivery is immediate.
      return isIncident ? resolved(now(options)) : notIncident(issue, label);
    default:
      return { ignored: `issues action "${action}" is not tracked` };
  }
}

function notIncident(issue: Fields, label: string): AdapterResult {
  return {
    ignored: `issue #${issue.id('number')} is not labelled "${label}"`,
  };
}

function issueComment(f: Fields): AdapterResult {
  const action = f.string('action');
  if (action !== 'created') {
    return { ignored: `issue_comment action "${action}" is not tracked` };
  }
  const comment = f.object('comment');
  // GitHub reports comments on a PR's conversation tab as issue comments.
  const onPr = f.get('issue.pull_request') !== undefined;
  return {
    events: [
      {
        kind: 'comment',
        source,
        target: onPr ? 'pr' : 'issue',
        timestamp: comment.date('created_at'),
        url: comment.link('html_url'),
        externalId: `${source}:comment:${comment.id('id')}`,
      },
    ],
  };
}

function pullRequest(f: Fields): AdapterResult {
  const action = f.string('action');
  const pr = f.object('pull_request');
  const prId = pr.id('id');
  const createdAt = pr.date('created_at');
  const base = {
    source,
    prId,
    createdAt,
    externalId: `${source}:pr:${prId}`,
    url: pr.link('html_url'),
  };
  if (action === 'opened') {
    return {
      events: [
        {
          kind: 'pr-opened',
          ...base,
          additions: pr.optionalNumber('additions'),
          deletions: pr.optionalNumber('deletions'),
          changedFiles: pr.optionalNumber('changed_files'),
          timestamp: createdAt,
        },
      ],
    };
  }
  if (action === 'closed' && pr.get('merged') === true) {
    const mergedAt = pr.date('merged_at');
    return {
      events: [{ kind: 'pr-merged', ...base, mergedAt, timestamp: mergedAt }],
    };
  }
  if (action === 'closed') {
    const closedAt = pr.date('closed_at');
    return {
      events: [{ kind: 'pr-closed', ...base, closedAt, timestamp: closedAt }],
    };
  }
  return { ignored: `pull_request action "${action}" is not tracked` };
}

function pullRequestReview(f: Fields): AdapterResult {
  const action = f.string('action');
  if (action !== 'submitted') {
    return { ignored: `pull_request_review action "${action}" is not tracked` };
  }
  const review = f.object('review');
  const state = review.string('state').toLowerCase();
  let kind: 'review-approved' | 'review-changes';
  if (state === 'approved') {
    kind = 'review-approved';
  } else if (state === 'changes_requested') {
    kind = 'review-changes';
  } else {
    // Plain "commented" reviews: their line comments arrive separately as
    // pull_request_review_comment, so counting the review would double them.
    return {
      ignored: `review state "${state}" is neither approval nor changes`,
    };
  }
  const pr = f.object('pull_request');
  const submittedAt = review.date('submitted_at');
  return {
    events: [
      {
        kind,
        source,
        prId: pr.id('id'),
        createdAt: pr.date('created_at'),
        submittedAt,
        timestamp: submittedAt,
        externalId: `${source}:review:${review.id('id')}`,
        url: pr.link('html_url') ?? review.link('html_url'),
      },
    ],
  };
}

function pullRequestReviewComment(f: Fields): AdapterResult {
  const action = f.string('action');
  if (action !== 'created') {
    return {
      ignored: `pull_request_review_comment action "${action}" is not tracked`,
    };
  }
  const comment = f.object('comment');
  return {
    events: [
      {
        kind: 'comment',
        source,
        target: 'pr',
        timestamp: comment.date('created_at'),
        externalId: `${source}:comment:${comment.id('id')}`,
        url: comment.link('html_url'),
      },
    ],
  };
}

/** GitHub repository webhooks; the event name is in `X-GitHub-Event`. */
export const adaptGithub: Adapter = (headers, body, options) => {
  const event = headers['x-github-event'] ?? '';
  const f = new Fields(`GitHub ${event}`, body);
  return withDelivery(route(event, f, options), headers['x-github-delivery']);
};

function route(
  event: string,
  f: Fields,
  options: AdapterOptions,
): AdapterResult {
  switch (event) {
    case 'ping':
      return { ignored: 'ping' };
    case 'push':
      return push(f);
    case 'deployment_status':
      return deploymentStatus(f, options);
    case 'issues':
      return issues(f, options);
    case 'issue_comment':
      return issueComment(f);
    case 'pull_request':
      return pullRequest(f);
    case 'pull_request_review':
      return pullRequestReview(f);
    case 'pull_request_review_comment':
      return pullRequestReviewComment(f);
    default:
      return { ignored: `GitHub event "${event}" is not tracked` };
  }
}
