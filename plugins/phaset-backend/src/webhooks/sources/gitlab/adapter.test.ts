import { InputError } from '@backstage/errors';
import { fixtureCases } from '../../__testUtils__/cases';
import { date, fixtureNames, loadFixture } from '../../__testUtils__/fixtures';
import { adaptGitlab } from './adapter';

const tool = 'gitlab' as const;
const DELIVERY = '8ad2f4c0-6b0e-4b2f-9c2b-1f3e3c2a5d10';
const HOOKS: Record<string, string> = {
  push: 'Push Hook',
  merge_request: 'Merge Request Hook',
  note: 'Note Hook',
  issue: 'Issue Hook',
  deployment: 'Deployment Hook',
  pipeline: 'Pipeline Hook',
};

describe('GitLab webhooks', () => {
  const { files, table } = fixtureCases(
    tool,
    file => ({
      'x-gitlab-event': HOOKS[file.split('.')[0]],
      'x-gitlab-event-uuid': DELIVERY,
    }),
    [
      {
        file: 'push.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'change',
              url: 'http://example.com/mike/diaspora/commit/b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327',
              source: tool,
              commitSha: 'b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327',
              branch: 'master',
              timestamp: date('2011-12-12T12:27:31Z'),
              externalId:
                'gitlab:commit:b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327',
            },
            {
              kind: 'change',
              url: 'http://example.com/mike/diaspora/commit/da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
              source: tool,
              commitSha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
              branch: 'master',
              timestamp: date('2012-01-03T21:36:29Z'),
              externalId:
                'gitlab:commit:da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
            },
          ],
        },
      },
      {
        file: 'merge_request.open.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'pr-opened',
              url: 'http://example.com/diaspora/merge_requests/1',
              source: tool,
              prId: '99',
              createdAt: date('2013-12-03T17:23:34Z'),
              timestamp: date('2013-12-03T17:23:34Z'),
              externalId: 'gitlab:mr:99',
            },
          ],
        },
      },
      {
        // No merged_at in this payload: the last update is the merge.
        file: 'merge_request.merge.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'pr-merged',
              url: 'https://gitlab.com/gitlab-org/hello-world/merge_requests/1',
              source: tool,
              prId: '6632669',
              createdAt: date('2017-12-10T17:01:11Z'),
              mergedAt: date('2017-12-10T17:08:07Z'),
              timestamp: date('2017-12-10T17:08:07Z'),
              externalId: 'gitlab:mr:6632669',
            },
          ],
        },
      },
      {
        file: 'merge_request.merge.json',
        name: 'closed without merge (derived)',
        edit: body => {
          body.object_attributes.action = 'close';
          body.object_attributes.state = 'closed';
        },
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'pr-closed',
              url: 'https://gitlab.com/gitlab-org/hello-world/merge_requests/1',
              source: tool,
              prId: '6632669',
              createdAt: date('2017-12-10T17:01:11Z'),
              closedAt: date('2017-12-10T17:08:07Z'),
              timestamp: date('2017-12-10T17:08:07Z'),
              externalId: 'gitlab:mr:6632669',
            },
          ],
        },
      },
      {
        file: 'merge_request.approved.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'review-approved',
              url: 'https://gitlab.com/eeshangarg/my-awesome-project/merge_requests/1',
              source: tool,
              prId: '3673242',
              createdAt: date('2017-05-31T03:27:26Z'),
              submittedAt: date('2017-12-18T00:39:44Z'),
              timestamp: date('2017-12-18T00:39:44Z'),
              externalId: 'gitlab:mr:3673242:approval:eeshangargtest',
            },
          ],
        },
      },
      {
        file: 'note.merge_request.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'comment',
              url: 'http://example.com/gitlab-org/gitlab-test/merge_requests/1#note_1244',
              source: tool,
              target: 'pr',
              timestamp: date('2015-05-17T18:21:36Z'),
              externalId: 'gitlab:note:1244',
            },
          ],
        },
      },
      {
        file: 'note.issue.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'comment',
              url: 'http://example.com/gitlab-org/gitlab-test/issues/17#note_1241',
              source: tool,
              target: 'issue',
              timestamp: date('2015-05-17T17:06:40Z'),
              externalId: 'gitlab:note:1241',
            },
          ],
        },
      },
      {
        file: 'issue.open.json',
        expected: { ignored: 'issue 301 is not an incident' },
      },
      {
        file: 'issue.open.json',
        name: 'with incident label "API"',
        options: { incidentLabel: 'api' },
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'incident-opened',
              url: 'http://example.com/diaspora/issues/23',
              source: tool,
              id: '301',
              createdAt: date('2013-12-03T17:15:43Z'),
              timestamp: date('2013-12-03T17:15:43Z'),
              externalId: 'gitlab:issue:301',
            },
          ],
        },
      },
      {
        file: 'issue.open.json',
        name: 'GitLab incident type',
        edit: body => {
          body.object_attributes.issue_type = 'incident';
        },
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'incident-opened',
              url: 'http://example.com/diaspora/issues/23',
              source: tool,
              id: '301',
              createdAt: date('2013-12-03T17:15:43Z'),
              timestamp: date('2013-12-03T17:15:43Z'),
              externalId: 'gitlab:issue:301',
            },
          ],
        },
      },
      {
        file: 'issue.close.json',
        expected: { ignored: 'issue 8131350 is not an incident' },
      },
      {
        file: 'issue.close.json',
        name: 'with incident label "critical"',
        options: { incidentLabel: 'critical' },
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'incident-resolved',
              url: 'https://gitlab.com/gitlab-org/hello-world/issues/1',
              source: tool,
              id: '8131350',
              createdAt: date('2017-12-10T16:37:38Z'),
              resolvedAt: date('2017-12-10T16:41:28Z'),
              timestamp: date('2017-12-10T16:41:28Z'),
              externalId: 'gitlab:issue:8131350',
            },
          ],
        },
      },
      {
        // changes.labels goes from [] to [critical]: labelling opens it.
        file: 'issue.close.json',
        name: 'label added in an update (derived)',
        options: { incidentLabel: 'critical' },
        edit: body => {
          body.object_attributes.action = 'update';
        },
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'incident-opened',
              url: 'https://gitlab.com/gitlab-org/hello-world/issues/1',
              source: tool,
              id: '8131350',
              createdAt: date('2017-12-10T16:41:28Z'),
              timestamp: date('2017-12-10T16:41:28Z'),
              externalId: 'gitlab:issue:8131350',
            },
          ],
        },
      },
      {
        file: 'deployment.success.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'deployment',
              url: 'http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796',
              source: tool,
              commitSha: '279484c09fbe69ededfced8c1bb6e6d24616b468',
              environment: 'staging',
              result: 'success',
              deploymentId: '15',
              timestamp: date('2021-04-28T19:50:00Z'),
              externalId: 'gitlab:deployment:15:success',
            },
          ],
        },
      },
      {
        file: 'deployment.success.json',
        name: 'outside the production environments',
        options: { productionEnvironments: ['production'] },
        expected: {
          ignored:
            'deployment environment "staging" is not one of "production"',
        },
      },
      {
        file: 'deployment.failed.json',
        options: { productionEnvironments: ['production'] },
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'deployment',
              url: 'https://gitlab.com/vedant8600317/test/-/jobs/9905759933',
              source: tool,
              commitSha: '846d8de0b7b3d694954249d2fd5d87fbe8c84e4c',
              environment: 'production',
              result: 'failure',
              deploymentId: '988604916',
              timestamp: date('2025-05-02T12:30:19Z'),
              externalId: 'gitlab:deployment:988604916:failed',
            },
          ],
        },
      },
      {
        file: 'deployment.failed.json',
        name: 'still running',
        edit: body => {
          body.status = 'running';
        },
        expected: {
          ignored: 'deployment status "running" is not a finished one',
        },
      },
      {
        file: 'pipeline.json',
        expected: {
          ignored: 'pipelines are not deployments; enable Deployment events',
        },
      },
    ],
  );

  it('has a case for every fixture', () => {
    expect(files).toEqual(fixtureNames(tool));
  });

  it.each(table)('%s', (_, run, expected) => {
    expect(run()).toEqual(expected);
  });

  it('rejects a malformed body naming the field', () => {
    const body = loadFixture(tool, 'deployment.success.json');
    delete body.environment;
    expect(() =>
      adaptGitlab({ 'x-gitlab-event': 'Deployment Hook' }, body, {
        incidentLabel: 'incident',
      }),
    ).toThrow(
      new InputError(
        'GitLab Deployment Hook: missing or invalid field "environment" (expected a string)',
      ),
    );
  });
});
