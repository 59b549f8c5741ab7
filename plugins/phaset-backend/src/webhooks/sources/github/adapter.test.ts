import { InputError } from '@backstage/errors';
import {
  date,
  fixtureNames,
  loadFixture,
  NOW,
} from '../../__testUtils__/fixtures';
import { detectAndAdapt } from '../../__testUtils__/cases';
import { adaptGithub } from './adapter';
import { AdapterOptions, AdapterResult } from '../../types';

const tool = 'github' as const;
const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

interface Case {
  file: string;
  name?: string;
  options?: Partial<AdapterOptions>;
  edit?: (body: any) => void;
  expected: AdapterResult;
}

const event = (file: string) => file.split('.')[0];

const cases: Case[] = [
  {
    file: 'push.json',
    expected: { ignored: 'push deleted a branch or tag' },
  },
  {
    file: 'push.json',
    name: 'branch push with a commit',
    edit: body => {
      body.ref = 'refs/heads/main';
      body.deleted = false;
      body.after = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
      body.commits = [
        {
          id: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
          timestamp: '2019-05-15T15:20:30-04:00',
        },
      ];
    },
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'change',
          source: tool,
          commitSha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
          branch: 'main',
          timestamp: date('2019-05-15T19:20:30Z'),
          externalId: 'github:commit:6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        },
      ],
    },
  },
  {
    file: 'pull_request.opened.json',
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'pr-opened',
          source: tool,
          prId: '279147437',
          createdAt: date('2019-05-15T15:20:33Z'),
          additions: 1,
          deletions: 1,
          changedFiles: 1,
          timestamp: date('2019-05-15T15:20:33Z'),
          externalId: 'github:pr:279147437',
          url: 'https://github.com/Codertocat/Hello-World/pull/2',
        },
      ],
    },
  },
  {
    file: 'pull_request.closed.unmerged.json',
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'pr-closed',
          source: tool,
          prId: '279147437',
          createdAt: date('2019-05-15T15:20:33Z'),
          closedAt: date('2019-05-15T15:21:18Z'),
          timestamp: date('2019-05-15T15:21:18Z'),
          externalId: 'github:pr:279147437',
          url: 'https://github.com/Codertocat/Hello-World/pull/2',
        },
      ],
    },
  },
  {
    // SOURCES.md: derive the merged case from the unmerged capture.
    file: 'pull_request.closed.unmerged.json',
    name: 'merged (derived)',
    edit: body => {
      body.pull_request.merged = true;
      body.pull_request.merged_at = '2019-05-15T15:21:18Z';
    },
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'pr-merged',
          source: tool,
          prId: '279147437',
          createdAt: date('2019-05-15T15:20:33Z'),
          mergedAt: date('2019-05-15T15:21:18Z'),
          timestamp: date('2019-05-15T15:21:18Z'),
          externalId: 'github:pr:279147437',
          url: 'https://github.com/Codertocat/Hello-World/pull/2',
        },
      ],
    },
  },
  {
    file: 'pull_request_review.submitted.approved.json',
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'review-approved',
          source: tool,
          prId: '87811438',
          createdAt: date('2016-10-03T23:37:43Z'),
          submittedAt: date('2016-10-03T23:39:09Z'),
          timestamp: date('2016-10-03T23:39:09Z'),
          externalId: 'github:review:2626884',
          url: 'https://github.com/baxterthehacker/public-repo/pull/8',
        },
      ],
    },
  },
  {
    file: 'pull_request_review.submitted.approved.json',
    name: 'changes requested (derived)',
    edit: body => {
      body.review.state = 'changes_requested';
    },
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'review-changes',
          source: tool,
          prId: '87811438',
          createdAt: date('2016-10-03T23:37:43Z'),
          submittedAt: date('2016-10-03T23:39:09Z'),
          timestamp: date('2016-10-03T23:39:09Z'),
          externalId: 'github:review:2626884',
          url: 'https://github.com/baxterthehacker/public-repo/pull/8',
        },
      ],
    },
  },
  {
    file: 'pull_request_review.submitted.commented.json',
    expected: {
      ignored: 'review state "commented" is neither approval nor changes',
    },
  },
  {
    file: 'pull_request_review_comment.created.json',
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'comment',
          source: tool,
          target: 'pr',
          timestamp: date('2019-05-15T15:20:37Z'),
          externalId: 'github:comment:284312630',
          url: 'https://github.com/Codertocat/Hello-World/pull/2#discussion_r284312630',
        },
      ],
    },
  },
  {
    file: 'issue_comment.created.json',
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'comment',
          source: tool,
          target: 'issue',
          timestamp: date('2019-05-15T15:20:21Z'),
          externalId: 'github:comment:492700400',
          url: 'https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400',
        },
      ],
    },
  },
  {
    file: 'issue_comment.created.json',
    name: 'on a pull request',
    edit: body => {
      body.issue.pull_request = { url: 'https://api.github.com/pulls/1' };
    },
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'comment',
          source: tool,
          target: 'pr',
          timestamp: date('2019-05-15T15:20:21Z'),
          externalId: 'github:comment:492700400',
          url: 'https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400',
        },
      ],
    },
  },
  {
    file: 'issues.opened.json',
    expected: { ignored: 'issue #1 is not labelled "incident"' },
  },
  {
    file: 'issues.opened.json',
    name: 'with incident label "bug"',
    options: { incidentLabel: 'Bug' },
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'incident-opened',
          source: tool,
          id: '444500041',
          createdAt: date('2019-05-15T15:20:18Z'),
          timestamp: date('2019-05-15T15:20:18Z'),
          externalId: 'github:issue:444500041',
          url: 'https://github.com/Codertocat/Hello-World/issues/1',
        },
      ],
    },
  },
  {
    file: 'issues.labeled.json',
    expected: { ignored: 'label "bug" is not "incident"' },
  },
  {
    file: 'issues.labeled.json',
    name: 'with incident label "bug"',
    options: { incidentLabel: 'bug' },
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'incident-opened',
          source: tool,
          id: '444500041',
          createdAt: date('2019-05-15T15:20:18Z'),
          timestamp: date('2019-05-15T15:20:18Z'),
          externalId: 'github:issue:444500041',
          url: 'https://github.com/Codertocat/Hello-World/issues/1',
        },
      ],
    },
  },
  {
    file: 'issues.unlabeled.json',
    expected: { ignored: 'label "bug" is not "incident"' },
  },
  {
    file: 'issues.unlabeled.json',
    name: 'with incident label "bug"',
    options: { incidentLabel: 'bug' },
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'incident-resolved',
          source: tool,
          id: '444500041',
          createdAt: date('2019-05-15T15:20:18Z'),
          resolvedAt: date('2019-05-15T15:20:26Z'),
          timestamp: date('2019-05-15T15:20:26Z'),
          externalId: 'github:issue:444500041',
          url: 'https://github.com/Codertocat/Hello-World/issues/1',
        },
      ],
    },
  },
  {
    file: 'issues.deleted.json',
    expected: { ignored: 'issue #1 is not labelled "incident"' },
  },
  {
    file: 'issues.deleted.json',
    name: 'with incident label "bug"',
    options: { incidentLabel: 'bug' },
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'incident-resolved',
          source: tool,
          id: '444500041',
          createdAt: date('2021-07-05T18:05:24Z'),
          resolvedAt: NOW,
          timestamp: NOW,
          externalId: 'github:issue:444500041',
          url: 'https://github.com/Codertocat/Hello-World/issues/1',
        },
      ],
    },
  },
  {
    file: 'issues.closed.json',
    expected: { ignored: 'issue #8 is not labelled "incident"' },
  },
  {
    file: 'issues.closed.json',
    name: 'labelled incident',
    edit: body => {
      body.issue.labels = [{ name: 'incident' }];
    },
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'incident-resolved',
          source: tool,
          id: '3878718400',
          createdAt: date('2026-01-31T08:11:06Z'),
          resolvedAt: date('2026-01-31T08:11:37Z'),
          timestamp: date('2026-01-31T08:11:37Z'),
          externalId: 'github:issue:3878718400',
          url: 'https://github.com/Pritesh-30/test-repo/issues/8',
        },
      ],
    },
  },
  {
    file: 'deployment_status.success.json',
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'deployment',
          source: tool,
          commitSha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
          environment: 'production',
          result: 'success',
          deploymentId: '145988746',
          timestamp: date('2019-05-15T15:20:55Z'),
          externalId: 'github:deployment_status:209916254',
        },
      ],
    },
  },
  {
    file: 'deployment_status.success.json',
    name: 'from GitHub Actions, with the run as its target (empty in the fixture)',
    edit: body => {
      body.deployment_status.target_url =
        'https://github.com/Codertocat/Hello-World/actions/runs/42';
    },
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'deployment',
          source: tool,
          commitSha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
          environment: 'production',
          result: 'success',
          deploymentId: '145988746',
          timestamp: date('2019-05-15T15:20:55Z'),
          externalId: 'github:deployment_status:209916254',
          url: 'https://github.com/Codertocat/Hello-World/actions/runs/42',
        },
      ],
    },
  },
  {
    file: 'deployment_status.success.json',
    name: 'outside the production environments',
    options: { productionEnvironments: ['prod', 'live'] },
    expected: {
      ignored:
        'deployment environment "production" is not one of "prod", "live"',
    },
  },
  {
    file: 'deployment_status.success.json',
    name: 'still in progress',
    edit: body => {
      body.deployment_status.state = 'in_progress';
    },
    expected: {
      ignored: 'deployment status "in_progress" is not a finished one',
    },
  },
  {
    file: 'deployment_status.failure.json',
    options: { productionEnvironments: ['Production'] },
    expected: {
      deliveryId: DELIVERY,
      events: [
        {
          kind: 'deployment',
          source: tool,
          commitSha: '9049f1265b7d61be4a8904a9a27120d2064dab3b',
          environment: 'production',
          result: 'failure',
          deploymentId: '710692',
          timestamp: date('2015-05-05T23:40:39Z'),
          externalId: 'github:deployment_status:1115123',
        },
      ],
    },
  },
  {
    file: 'ping.json',
    expected: { ignored: 'ping' },
  },
];

function run(c: Case) {
  const body = loadFixture(tool, c.file);
  c.edit?.(body);
  return detectAndAdapt(
    { 'x-github-event': event(c.file), 'x-github-delivery': DELIVERY },
    body,
    { now: () => NOW, ...c.options },
  );
}

describe('GitHub webhooks', () => {
  it('has a case for every fixture', () => {
    expect([...new Set(cases.map(c => c.file))].sort()).toEqual(
      fixtureNames(tool),
    );
  });

  it.each(cases.map(c => [c.name ? `${c.file}: ${c.name}` : c.file, c]))(
    '%s',
    (_, c) => {
      expect(run(c as Case)).toEqual({ source: tool, ...(c as Case).expected });
    },
  );

  it('ignores untracked events', () => {
    expect(
      adaptGithub({ 'x-github-event': 'star' }, {}, { incidentLabel: 'x' }),
    ).toEqual({ ignored: 'GitHub event "star" is not tracked' });
  });

  it('rejects a malformed body naming the field', () => {
    const body = loadFixture(tool, 'pull_request.opened.json');
    delete body.pull_request.created_at;
    expect(() =>
      adaptGithub({ 'x-github-event': 'pull_request' }, body, {
        incidentLabel: 'incident',
      }),
    ).toThrow(
      new InputError(
        'GitHub pull_request: missing or invalid field "pull_request.created_at" (expected a date)',
      ),
    );
  });
});
