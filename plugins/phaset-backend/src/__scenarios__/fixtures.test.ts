import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  defaultPhasetConfig,
  DEMO_TOKEN,
  startPhasetBackend,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import {
  allFixtures,
  countRows,
  fixtureHeaders,
  newRecord,
  rawFixture,
  storedEvents,
} from '../__testUtils__/events';

/** Marks a time the payload does not carry: the receipt time is stored. */
const RECEIVED = expect.stringMatching(/^20\d\d-/);

/**
 * What every webhook fixture stores when posted through HTTP to a Record with
 * default settings (incident label `incident`, production = production/prod).
 */
const EXPECTED: Record<string, object[] | { ignored: string }> = {
  'azure-devops/git.pullrequest.created.json': [
    {
      source: 'azure-devops',
      kind: 'pr-opened',
      url: 'https://dev.azure.com/fabrikam/DefaultCollection/_git/Fabrikam/pullrequest/1',
      external_id: 'azure-devops:pr:1',
      occurred_at: '2014-06-17T16:55:46.589Z',
      pr_id: '1',
      pr_created_at: '2014-06-17T16:55:46.589Z',
    },
  ],
  'azure-devops/git.pullrequest.merged.json': [
    {
      source: 'azure-devops',
      kind: 'pr-merged',
      url: 'https://dev.azure.com/fabrikam/DefaultCollection/_git/Fabrikam/pullrequest/1',
      external_id: 'azure-devops:pr:1',
      occurred_at: '2014-06-30T18:59:12.366Z',
      pr_id: '1',
      pr_created_at: '2014-06-17T16:55:46.589Z',
      merged_at: '2014-06-30T18:59:12.366Z',
    },
  ],
  'azure-devops/git.pullrequest.updated.json': [
    {
      source: 'azure-devops',
      kind: 'pr-merged',
      url: 'https://dev.azure.com/fabrikam/DefaultCollection/_git/Fabrikam/pullrequest/1',
      external_id: 'azure-devops:pr:1',
      occurred_at: '2014-06-30T18:59:12.366Z',
      pr_id: '1',
      pr_created_at: '2014-06-17T16:55:46.589Z',
      merged_at: '2014-06-30T18:59:12.366Z',
    },
  ],
  'azure-devops/git.push.json': [
    {
      source: 'azure-devops',
      kind: 'change',
      url: 'https://dev.azure.com/fabrikam-fiber-inc/DefaultCollection/_git/Fabrikam-Fiber-Git/commit/33b55f7cb7e7e245323987634f960cf4a6e6bc74',
      external_id:
        'azure-devops:commit:33b55f7cb7e7e245323987634f960cf4a6e6bc74',
      occurred_at: '2015-02-25T19:01:00.000Z',
      commit_sha: '33b55f7cb7e7e245323987634f960cf4a6e6bc74',
      branch: 'main',
    },
  ],
  'azure-devops/ms.vss-release.deployment-completed-event.json': [
    {
      source: 'azure-devops',
      kind: 'deployment',
      external_id: 'azure-devops:deployment:1/5',
      occurred_at: '2016-09-19T13:03:28.534Z',
      environment: 'Dev',
      result: 'success',
      is_production: false,
      deployment_id: '1/5',
    },
  ],
  'azure-devops/workitem.created.json': {
    ignored: 'work item 5 is not an incident',
  },
  'azure-devops/workitem.updated.json': {
    ignored: 'work item 5 is not an incident',
  },
  'bitbucket/issue.created.json': {
    ignored: 'issue 1 is not in component "incident"',
  },
  'bitbucket/pullrequest.approved.json': [
    {
      source: 'bitbucket',
      kind: 'review-approved',
      url: 'https://bitbucket.org/kolaszek/repository-name/pull-requests/1',
      external_id:
        'bitbucket:pr:1:review:{678ab31f-9f88-4d7a-b343-1bdf9f024917}',
      occurred_at: '2016-07-04T19:40:30.999Z',
      pr_id: '1',
      pr_created_at: '2016-07-04T19:15:30.118Z',
      submitted_at: '2016-07-04T19:40:30.999Z',
    },
  ],
  'bitbucket/pullrequest.comment_created.json': [
    {
      source: 'bitbucket',
      kind: 'comment',
      url: 'https://bitbucket.org/rutvijmehta-harness/spring-cloud-alibaba/pull-requests/1/_/diff#comment-311512047',
      external_id: 'bitbucket:comment:311512047',
      occurred_at: '2022-06-23T22:10:09.939Z',
      target: 'pr',
    },
  ],
  'bitbucket/pullrequest.created.json': [
    {
      source: 'bitbucket',
      kind: 'pr-opened',
      url: 'https://bitbucket.org/brydzewski/foo/pull-requests/1',
      external_id: 'bitbucket:pr:1',
      occurred_at: '2018-07-02T21:51:39.492Z',
      pr_id: '1',
      pr_created_at: '2018-07-02T21:51:39.492Z',
    },
  ],
  'bitbucket/pullrequest.fulfilled.json': [
    {
      source: 'bitbucket',
      kind: 'pr-merged',
      url: 'https://bitbucket.org/brydzewski/foo/pull-requests/1',
      external_id: 'bitbucket:pr:1',
      occurred_at: '2018-07-03T01:28:05.903Z',
      pr_id: '1',
      pr_created_at: '2018-07-02T21:51:39.492Z',
      merged_at: '2018-07-03T01:28:05.903Z',
    },
  ],
  'bitbucket/pullrequest.rejected.json': [
    {
      source: 'bitbucket',
      kind: 'pr-closed',
      url: 'https://bitbucket.org/brydzewski/foo/pull-requests/2',
      external_id: 'bitbucket:pr:2',
      occurred_at: '2018-07-03T01:44:00.030Z',
      pr_id: '2',
      pr_created_at: '2018-07-03T01:39:22.782Z',
      closed_at: '2018-07-03T01:44:00.030Z',
    },
  ],
  'bitbucket/repo.push.json': [
    {
      source: 'bitbucket',
      kind: 'change',
      url: 'https://bitbucket.org/brydzewski/foo/commits/141977fedf5cf35aa290ac87d4b5177ac4cd9de1',
      external_id: 'bitbucket:commit:141977fedf5cf35aa290ac87d4b5177ac4cd9de1',
      occurred_at: '2018-07-02T20:26:56.000Z',
      commit_sha: '141977fedf5cf35aa290ac87d4b5177ac4cd9de1',
      branch: 'master',
    },
  ],
  'github/deployment_status.failure.json': [
    {
      source: 'github',
      kind: 'deployment',
      external_id: 'github:deployment_status:1115123',
      occurred_at: '2015-05-05T23:40:39.000Z',
      commit_sha: '9049f1265b7d61be4a8904a9a27120d2064dab3b',
      environment: 'production',
      result: 'failure',
      is_production: true,
      deployment_id: '710692',
    },
  ],
  'github/deployment_status.success.json': [
    {
      source: 'github',
      kind: 'deployment',
      external_id: 'github:deployment_status:209916254',
      occurred_at: '2019-05-15T15:20:55.000Z',
      commit_sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      environment: 'production',
      result: 'success',
      is_production: true,
      deployment_id: '145988746',
    },
  ],
  'github/issue_comment.created.json': [
    {
      source: 'github',
      kind: 'comment',
      url: 'https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400',
      external_id: 'github:comment:492700400',
      occurred_at: '2019-05-15T15:20:21.000Z',
      target: 'issue',
    },
  ],
  'github/issues.closed.json': {
    ignored: 'issue #8 is not labelled "incident"',
  },
  'github/issues.deleted.json': {
    ignored: 'issue #1 is not labelled "incident"',
  },
  'github/issues.labeled.json': { ignored: 'label "bug" is not "incident"' },
  'github/issues.opened.json': {
    ignored: 'issue #1 is not labelled "incident"',
  },
  'github/issues.unlabeled.json': { ignored: 'label "bug" is not "incident"' },
  'github/ping.json': { ignored: 'ping' },
  'github/pull_request.closed.unmerged.json': [
    {
      source: 'github',
      kind: 'pr-closed',
      url: 'https://github.com/Codertocat/Hello-World/pull/2',
      external_id: 'github:pr:279147437',
      occurred_at: '2019-05-15T15:21:18.000Z',
      pr_id: '279147437',
      pr_created_at: '2019-05-15T15:20:33.000Z',
      closed_at: '2019-05-15T15:21:18.000Z',
    },
  ],
  'github/pull_request.opened.json': [
    {
      source: 'github',
      kind: 'pr-opened',
      url: 'https://github.com/Codertocat/Hello-World/pull/2',
      external_id: 'github:pr:279147437',
      occurred_at: '2019-05-15T15:20:33.000Z',
      pr_id: '279147437',
      pr_created_at: '2019-05-15T15:20:33.000Z',
      additions: 1,
      deletions: 1,
      changed_files: 1,
    },
  ],
  'github/pull_request_review.submitted.approved.json': [
    {
      source: 'github',
      kind: 'review-approved',
      url: 'https://github.com/baxterthehacker/public-repo/pull/8',
      external_id: 'github:review:2626884',
      occurred_at: '2016-10-03T23:39:09.000Z',
      pr_id: '87811438',
      pr_created_at: '2016-10-03T23:37:43.000Z',
      submitted_at: '2016-10-03T23:39:09.000Z',
    },
  ],
  'github/pull_request_review.submitted.commented.json': {
    ignored: 'review state "commented" is neither approval nor changes',
  },
  'github/pull_request_review_comment.created.json': [
    {
      source: 'github',
      kind: 'comment',
      url: 'https://github.com/Codertocat/Hello-World/pull/2#discussion_r284312630',
      external_id: 'github:comment:284312630',
      occurred_at: '2019-05-15T15:20:37.000Z',
      target: 'pr',
    },
  ],
  'github/push.json': { ignored: 'push deleted a branch or tag' },
  'gitlab/deployment.failed.json': [
    {
      source: 'gitlab',
      kind: 'deployment',
      url: 'https://gitlab.com/vedant8600317/test/-/jobs/9905759933',
      external_id: 'gitlab:deployment:988604916:failed',
      occurred_at: '2025-05-02T12:30:19.000Z',
      commit_sha: '846d8de0b7b3d694954249d2fd5d87fbe8c84e4c',
      environment: 'production',
      result: 'failure',
      is_production: true,
      deployment_id: '988604916',
    },
  ],
  'gitlab/deployment.success.json': [
    {
      source: 'gitlab',
      kind: 'deployment',
      url: 'http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796',
      external_id: 'gitlab:deployment:15:success',
      occurred_at: '2021-04-28T19:50:00.000Z',
      commit_sha: '279484c09fbe69ededfced8c1bb6e6d24616b468',
      environment: 'staging',
      result: 'success',
      is_production: false,
      deployment_id: '15',
    },
  ],
  'gitlab/issue.close.json': { ignored: 'issue 8131350 is not an incident' },
  'gitlab/issue.open.json': { ignored: 'issue 301 is not an incident' },
  'gitlab/merge_request.approved.json': [
    {
      source: 'gitlab',
      kind: 'review-approved',
      url: 'https://gitlab.com/eeshangarg/my-awesome-project/merge_requests/1',
      external_id: 'gitlab:mr:3673242:approval:eeshangargtest',
      occurred_at: '2017-12-18T00:39:44.000Z',
      pr_id: '3673242',
      pr_created_at: '2017-05-31T03:27:26.000Z',
      submitted_at: '2017-12-18T00:39:44.000Z',
    },
  ],
  'gitlab/merge_request.merge.json': [
    {
      source: 'gitlab',
      kind: 'pr-merged',
      url: 'https://gitlab.com/gitlab-org/hello-world/merge_requests/1',
      external_id: 'gitlab:mr:6632669',
      occurred_at: '2017-12-10T17:08:07.000Z',
      pr_id: '6632669',
      pr_created_at: '2017-12-10T17:01:11.000Z',
      merged_at: '2017-12-10T17:08:07.000Z',
    },
  ],
  'gitlab/merge_request.open.json': [
    {
      source: 'gitlab',
      kind: 'pr-opened',
      url: 'http://example.com/diaspora/merge_requests/1',
      external_id: 'gitlab:mr:99',
      occurred_at: '2013-12-03T17:23:34.000Z',
      pr_id: '99',
      pr_created_at: '2013-12-03T17:23:34.000Z',
    },
  ],
  'gitlab/note.issue.json': [
    {
      source: 'gitlab',
      kind: 'comment',
      url: 'http://example.com/gitlab-org/gitlab-test/issues/17#note_1241',
      external_id: 'gitlab:note:1241',
      occurred_at: '2015-05-17T17:06:40.000Z',
      target: 'issue',
    },
  ],
  'gitlab/note.merge_request.json': [
    {
      source: 'gitlab',
      kind: 'comment',
      url: 'http://example.com/gitlab-org/gitlab-test/merge_requests/1#note_1244',
      external_id: 'gitlab:note:1244',
      occurred_at: '2015-05-17T18:21:36.000Z',
      target: 'pr',
    },
  ],
  'gitlab/pipeline.json': {
    ignored: 'pipelines are not deployments; enable Deployment events',
  },
  'gitlab/push.json': [
    {
      source: 'gitlab',
      kind: 'change',
      url: 'http://example.com/mike/diaspora/commit/b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327',
      external_id: 'gitlab:commit:b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327',
      occurred_at: '2011-12-12T12:27:31.000Z',
      commit_sha: 'b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327',
      branch: 'master',
    },
    {
      source: 'gitlab',
      kind: 'change',
      url: 'http://example.com/mike/diaspora/commit/da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      external_id: 'gitlab:commit:da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      occurred_at: '2012-01-03T21:36:29.000Z',
      commit_sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      branch: 'master',
    },
  ],
  'jira/comment_created.json': [
    {
      source: 'jira',
      kind: 'comment',
      external_id: 'jira:comment:10019',
      occurred_at: '2019-02-16T03:11:18.321Z',
      target: 'issue',
    },
  ],
  'jira/jira.issue_created.json': { ignored: 'issue 10040 is not an incident' },
  'jira/jira.issue_deleted.json': { ignored: 'issue 10303 is not an incident' },
  'jira/jira.issue_updated.status_done.json': {
    ignored: 'issue 10040 is not an incident',
  },
  'linear/Comment.create.json': [
    {
      source: 'linear',
      kind: 'comment',
      url: 'https://linear.app/webhooks/issue/WEB-46#comment-c7cafc52',
      external_id: 'linear:comment:c7cafc52-994d-4984-a217-bff9f9aa9473',
      occurred_at: '2023-04-11T10:21:34.858Z',
      target: 'issue',
    },
  ],
  'linear/Issue.create.json': {
    ignored:
      'issue a4344dc7-7d8d-4b28-a93c-553ac9aba41a is not labelled "incident"',
  },
  'linear/Issue.update.title_change.json': {
    ignored:
      'issue 3443a709-f2b5-46f2-a136-a0445fd432be is not labelled "incident"',
  },
};

/** Issue fixtures posted to a Record whose incident label the issue carries. */
const INCIDENT_RUNS: Array<[file: string, label: string]> = [
  ['github/issues.opened.json', 'bug'],
  ['github/issues.labeled.json', 'bug'],
  ['github/issues.unlabeled.json', 'bug'],
  ['github/issues.deleted.json', 'bug'],
  ['gitlab/issue.open.json', 'API'],
  ['gitlab/issue.close.json', 'critical'],
  ['linear/Issue.update.title_change.json', 'Bug'],
  ['jira/jira.issue_created.json', 'test-label'],
  ['jira/jira.issue_updated.status_done.json', 'test-label'],
  ['jira/jira.issue_deleted.json', 'Task'],
  ['bitbucket/issue.created.json', 'component'],
  ['azure-devops/workitem.created.json', 'Bug'],
  ['azure-devops/workitem.updated.json', 'Bug'],
];

const EXPECTED_INCIDENTS: Record<string, object[] | { ignored: string }> = {
  'github/issues.opened.json': [
    {
      source: 'github',
      kind: 'incident-opened',
      url: 'https://github.com/Codertocat/Hello-World/issues/1',
      external_id: 'github:issue:444500041',
      occurred_at: '2019-05-15T15:20:18.000Z',
      incident_id: '444500041',
      opened_at: '2019-05-15T15:20:18.000Z',
    },
  ],
  'github/issues.labeled.json': [
    {
      source: 'github',
      kind: 'incident-opened',
      url: 'https://github.com/Codertocat/Hello-World/issues/1',
      external_id: 'github:issue:444500041',
      occurred_at: '2019-05-15T15:20:18.000Z',
      incident_id: '444500041',
      opened_at: '2019-05-15T15:20:18.000Z',
    },
  ],
  'github/issues.unlabeled.json': [
    {
      source: 'github',
      kind: 'incident-resolved',
      url: 'https://github.com/Codertocat/Hello-World/issues/1',
      external_id: 'github:issue:444500041',
      occurred_at: '2019-05-15T15:20:26.000Z',
      incident_id: '444500041',
      opened_at: '2019-05-15T15:20:18.000Z',
      resolved_at: '2019-05-15T15:20:26.000Z',
    },
  ],
  'github/issues.deleted.json': [
    {
      source: 'github',
      kind: 'incident-resolved',
      url: 'https://github.com/Codertocat/Hello-World/issues/1',
      external_id: 'github:issue:444500041',
      occurred_at: RECEIVED,
      incident_id: '444500041',
      opened_at: '2021-07-05T18:05:24.000Z',
      resolved_at: RECEIVED,
    },
  ],
  'gitlab/issue.open.json': [
    {
      source: 'gitlab',
      kind: 'incident-opened',
      url: 'http://example.com/diaspora/issues/23',
      external_id: 'gitlab:issue:301',
      occurred_at: '2013-12-03T17:15:43.000Z',
      incident_id: '301',
      opened_at: '2013-12-03T17:15:43.000Z',
    },
  ],
  'gitlab/issue.close.json': [
    {
      source: 'gitlab',
      kind: 'incident-resolved',
      url: 'https://gitlab.com/gitlab-org/hello-world/issues/1',
      external_id: 'gitlab:issue:8131350',
      occurred_at: '2017-12-10T16:41:28.000Z',
      incident_id: '8131350',
      opened_at: '2017-12-10T16:37:38.000Z',
      resolved_at: '2017-12-10T16:41:28.000Z',
    },
  ],
  'linear/Issue.update.title_change.json': {
    ignored: 'issue update does not open or close an incident',
  },
  'jira/jira.issue_created.json': [
    {
      source: 'jira',
      kind: 'incident-opened',
      url: 'https://some-instance-test.atlassian.net/browse/TES-41',
      external_id: 'jira:issue:10040',
      occurred_at: '2019-02-16T03:01:52.971Z',
      incident_id: '10040',
      opened_at: '2019-02-16T03:01:52.971Z',
    },
  ],
  'jira/jira.issue_updated.status_done.json': [
    {
      source: 'jira',
      kind: 'incident-resolved',
      url: 'https://some-instance-test.atlassian.net/browse/TES-41',
      external_id: 'jira:issue:10040',
      occurred_at: '2019-02-16T03:15:40.470Z',
      incident_id: '10040',
      opened_at: '2019-02-16T03:01:52.971Z',
      resolved_at: '2019-02-16T03:15:40.470Z',
    },
  ],
  'jira/jira.issue_deleted.json': { ignored: 'issue 10303 is not an incident' },
  'bitbucket/issue.created.json': [
    {
      source: 'bitbucket',
      kind: 'incident-opened',
      url: 'https://api.bitbucket.org/issue_id',
      external_id: 'bitbucket:issue:1',
      occurred_at: '2015-04-06T15:23:38.179Z',
      incident_id: '1',
      opened_at: '2015-04-06T15:23:38.179Z',
    },
  ],
  'azure-devops/workitem.created.json': {
    ignored: 'work item 5 is not an incident',
  },
  'azure-devops/workitem.updated.json': {
    ignored: 'work item 5 is not an incident',
  },
};

const incidentRecord = (i: number) => `incident${String(i).padStart(2, '0')}`;

const phasetConfig: JsonObject = {
  ...defaultPhasetConfig,
  records: [
    ...(defaultPhasetConfig.records as JsonObject[]),
    ...INCIDENT_RUNS.map(([, label], i) => ({
      id: incidentRecord(i),
      organization: 'demoorg',
      incidentLabel: label,
      tokens: [{ name: 'ci', token: DEMO_TOKEN }],
    })),
    {
      id: 'devenvrec1',
      organization: 'demoorg',
      productionEnvironments: ['Dev'],
      tokens: [{ name: 'ci', token: DEMO_TOKEN }],
    },
  ],
};

describe.each(testDatabases.eachSupportedId())(
  'Event ingestion on %s',
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];
    let knex: Awaited<ReturnType<typeof startPhasetBackend>>['knex'];

    beforeAll(async () => {
      ({ server, knex } = await startPhasetBackend(databaseId, phasetConfig));
    });

    const postFixture = (
      url: string,
      tool: string,
      file: string,
      delivery = `d-${file}`,
    ) =>
      request(server)
        .post(url)
        .set(fixtureHeaders(tool, file, delivery))
        .set('Content-Type', 'application/json')
        .send(rawFixture(tool, file));

    it('has an expectation for every webhook fixture', () => {
      expect(allFixtures().map(([tool, file]) => `${tool}/${file}`)).toEqual(
        Object.keys(EXPECTED).sort(),
      );
    });

    const ignored = allFixtures().filter(
      ([tool, file]) => 'ignored' in EXPECTED[`${tool}/${file}`],
    );
    const stored = allFixtures().filter(
      ([tool, file]) => !('ignored' in EXPECTED[`${tool}/${file}`]),
    );

    it.each(ignored)(
      'answers %s/%s with 202 ignored, storing nothing',
      async (tool, file) => {
        const record = await newRecord(server);
        const response = await postFixture(record.eventUrl, tool, file).expect(
          202,
        );
        expect(response.body).toEqual(EXPECTED[`${tool}/${file}`]);
        expect(await countRows(knex, record.id)).toEqual({ events: 0, raw: 0 });
      },
    );

    it.each(stored)('stores %s/%s exactly', async (tool, file) => {
      const record = await newRecord(server);
      const expected = EXPECTED[`${tool}/${file}`] as object[];
      const response = await postFixture(record.eventUrl, tool, file).expect(
        200,
      );
      expect(response.body).toEqual({
        accepted: expected.length,
        duplicates: 0,
      });
      expect(await storedEvents(knex, record.id)).toEqual(expected);
      const [raw] = await knex('phaset_raw_events').where({
        record_id: record.id,
      });
      expect(raw.body).toBe(rawFixture(tool, file));
      expect(raw.source).toBe(tool);
      expect(raw.token_id).toBe(record.webhookId);
    });

    it.each(INCIDENT_RUNS.map(([file, label], i) => [file, label, i] as const))(
      'stores %s as an incident for label %s',
      async (fixture, _label, i) => {
        const [tool, file] = fixture.split('/');
        const response = await postFixture(
          `/api/phaset/integration/event/demoorg/${incidentRecord(
            i,
          )}/${DEMO_TOKEN}`,
          tool,
          file,
        );
        const expected = EXPECTED_INCIDENTS[fixture];
        expect(response.body).toEqual(
          'ignored' in expected ? expected : { accepted: 1, duplicates: 0 },
        );
        expect(await storedEvents(knex, incidentRecord(i))).toEqual(
          'ignored' in expected ? [] : expected,
        );
      },
    );

    it('counts deployments as production per the Record setting', async () => {
      const tool = 'azure-devops';
      const file = 'ms.vss-release.deployment-completed-event.json';
      await postFixture(
        `/api/phaset/integration/event/demoorg/devenvrec1/${DEMO_TOKEN}`,
        tool,
        file,
      ).expect(200);
      const [event] = await storedEvents(knex, 'devenvrec1');
      expect(event).toMatchObject({ environment: 'Dev', is_production: true });
    });
  },
);
