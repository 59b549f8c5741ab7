import { InputError } from '@backstage/errors';
import { fixtureCases } from '../../__testUtils__/cases';
import { date, fixtureNames, loadFixture } from '../../__testUtils__/fixtures';
import { adaptBitbucket } from './adapter';

const tool = 'bitbucket' as const;
const DELIVERY = 'b1a7a4b2-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const pr1 = {
  source: tool,
  prId: '1',
  createdAt: date('2018-07-02T21:51:39.492Z'),
  externalId: 'bitbucket:pr:1',
};

describe('Bitbucket Cloud webhooks', () => {
  const { files, table } = fixtureCases(
    tool,
    file => ({
      // repo.push.json -> repo:push, pullrequest.comment_created.json -> pullrequest:comment_created
      'x-event-key': file.replace(/\.json$/, '').replace('.', ':'),
      'x-request-uuid': DELIVERY,
    }),
    [
      {
        file: 'repo.push.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'change',
              url: 'https://bitbucket.org/brydzewski/foo/commits/141977fedf5cf35aa290ac87d4b5177ac4cd9de1',
              source: tool,
              commitSha: '141977fedf5cf35aa290ac87d4b5177ac4cd9de1',
              branch: 'master',
              timestamp: date('2018-07-02T20:26:56Z'),
              externalId:
                'bitbucket:commit:141977fedf5cf35aa290ac87d4b5177ac4cd9de1',
            },
          ],
        },
      },
      {
        file: 'repo.push.json',
        name: 'branch deleted (derived)',
        edit: body => {
          body.push.changes[0].new = null;
        },
        expected: { ignored: 'push has no commits on a branch' },
      },
      {
        file: 'pullrequest.created.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'pr-opened',
              url: 'https://bitbucket.org/brydzewski/foo/pull-requests/1',
              ...pr1,
              timestamp: date('2018-07-02T21:51:39.492Z'),
            },
          ],
        },
      },
      {
        file: 'pullrequest.approved.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'review-approved',
              url: 'https://bitbucket.org/kolaszek/repository-name/pull-requests/1',
              source: tool,
              prId: '1',
              createdAt: date('2016-07-04T19:15:30.118Z'),
              submittedAt: date('2016-07-04T19:40:30.999Z'),
              timestamp: date('2016-07-04T19:40:30.999Z'),
              externalId:
                'bitbucket:pr:1:review:{678ab31f-9f88-4d7a-b343-1bdf9f024917}',
            },
          ],
        },
      },
      {
        // No published changes_request_created body exists (SOURCES.md gaps).
        file: 'pullrequest.approved.json',
        name: 'changes requested (derived)',
        headers: { 'x-event-key': 'pullrequest:changes_request_created' },
        edit: body => {
          body.changes_request = body.approval;
          delete body.approval;
        },
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'review-changes',
              url: 'https://bitbucket.org/kolaszek/repository-name/pull-requests/1',
              source: tool,
              prId: '1',
              createdAt: date('2016-07-04T19:15:30.118Z'),
              submittedAt: date('2016-07-04T19:40:30.999Z'),
              timestamp: date('2016-07-04T19:40:30.999Z'),
              externalId:
                'bitbucket:pr:1:review:{678ab31f-9f88-4d7a-b343-1bdf9f024917}',
            },
          ],
        },
      },
      {
        file: 'pullrequest.fulfilled.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'pr-merged',
              url: 'https://bitbucket.org/brydzewski/foo/pull-requests/1',
              ...pr1,
              mergedAt: date('2018-07-03T01:28:05.903Z'),
              timestamp: date('2018-07-03T01:28:05.903Z'),
            },
          ],
        },
      },
      {
        file: 'pullrequest.rejected.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'pr-closed',
              url: 'https://bitbucket.org/brydzewski/foo/pull-requests/2',
              source: tool,
              prId: '2',
              createdAt: date('2018-07-03T01:39:22.782Z'),
              closedAt: date('2018-07-03T01:44:00.030Z'),
              timestamp: date('2018-07-03T01:44:00.030Z'),
              externalId: 'bitbucket:pr:2',
            },
          ],
        },
      },
      {
        file: 'pullrequest.comment_created.json',
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'comment',
              url: 'https://bitbucket.org/rutvijmehta-harness/spring-cloud-alibaba/pull-requests/1/_/diff#comment-311512047',
              source: tool,
              target: 'pr',
              timestamp: date('2022-06-23T22:10:09.939Z'),
              externalId: 'bitbucket:comment:311512047',
            },
          ],
        },
      },
      {
        file: 'issue.created.json',
        expected: { ignored: 'issue 1 is not in component "incident"' },
      },
      {
        // The template's component is literally "component".
        file: 'issue.created.json',
        name: 'in the incident component',
        options: { incidentLabel: 'component' },
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'incident-opened',
              url: 'https://api.bitbucket.org/issue_id',
              source: tool,
              id: '1',
              createdAt: date('2015-04-06T15:23:38.179Z'),
              timestamp: date('2015-04-06T15:23:38.179Z'),
              externalId: 'bitbucket:issue:1',
            },
          ],
        },
      },
      {
        file: 'issue.created.json',
        name: 'resolved (derived issue:updated)',
        headers: { 'x-event-key': 'issue:updated' },
        options: { incidentLabel: 'component' },
        edit: body => {
          body.issue.state = 'resolved';
          body.issue.updated_on = '2015-04-06T16:00:00+00:00';
        },
        expected: {
          deliveryId: DELIVERY,
          events: [
            {
              kind: 'incident-resolved',
              url: 'https://api.bitbucket.org/issue_id',
              source: tool,
              id: '1',
              createdAt: date('2015-04-06T15:23:38.179Z'),
              resolvedAt: date('2015-04-06T16:00:00Z'),
              timestamp: date('2015-04-06T16:00:00Z'),
              externalId: 'bitbucket:issue:1',
            },
          ],
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

  it('ignores untracked events', () => {
    expect(
      adaptBitbucket(
        { 'x-event-key': 'repo:fork' },
        {},
        { incidentLabel: 'x' },
      ),
    ).toEqual({ ignored: 'Bitbucket event "repo:fork" is not tracked' });
  });

  it('rejects a malformed body naming the field', () => {
    const body = loadFixture(tool, 'repo.push.json');
    delete body.push.changes[0].commits[0].hash;
    expect(() =>
      adaptBitbucket({ 'x-event-key': 'repo:push' }, body, {
        incidentLabel: 'incident',
      }),
    ).toThrow(
      new InputError(
        'Bitbucket repo:push: missing or invalid field "push.changes[0].commits[0].hash" (expected a string)',
      ),
    );
  });
});
