import { InputError } from '@backstage/errors';
import { fixtureCases } from '../../__testUtils__/cases';
import { date, fixtureNames, loadFixture } from '../../__testUtils__/fixtures';
import { adaptAzureDevops } from './adapter';

const tool = 'azure-devops' as const;
const pr1 = {
  source: tool,
  prId: '1',
  createdAt: date('2014-06-17T16:55:46.589Z'),
  externalId: 'azure-devops:pr:1',
};

describe('Azure DevOps service hooks', () => {
  // The event type is in the body; service hooks send no identifying header.
  const { files, table } = fixtureCases(tool, () => ({}), [
    {
      file: 'git.push.json',
      expected: {
        deliveryId: '03c164c2-8912-4d5e-8009-3707d5f83734',
        events: [
          {
            kind: 'change',
            url: 'https://dev.azure.com/fabrikam-fiber-inc/DefaultCollection/_git/Fabrikam-Fiber-Git/commit/33b55f7cb7e7e245323987634f960cf4a6e6bc74',
            source: tool,
            commitSha: '33b55f7cb7e7e245323987634f960cf4a6e6bc74',
            branch: 'main',
            timestamp: date('2015-02-25T19:01:00Z'),
            externalId:
              'azure-devops:commit:33b55f7cb7e7e245323987634f960cf4a6e6bc74',
          },
        ],
      },
    },
    {
      file: 'git.pullrequest.created.json',
      expected: {
        deliveryId: '2ab4e3d3-b7a6-425e-92b1-5a9982c1269e',
        events: [
          {
            kind: 'pr-opened',
            url: 'https://dev.azure.com/fabrikam/DefaultCollection/_git/Fabrikam/pullrequest/1',
            ...pr1,
            timestamp: date('2014-06-17T16:55:46.589Z'),
          },
        ],
      },
    },
    {
      file: 'git.pullrequest.merged.json',
      expected: {
        deliveryId: '6872ee8c-b333-4eff-bfb9-0d5274943566',
        events: [
          {
            kind: 'pr-merged',
            url: 'https://dev.azure.com/fabrikam/DefaultCollection/_git/Fabrikam/pullrequest/1',
            ...pr1,
            mergedAt: date('2014-06-30T18:59:12.366Z'),
            timestamp: date('2014-06-30T18:59:12.366Z'),
          },
        ],
      },
    },
    {
      file: 'git.pullrequest.merged.json',
      name: 'merge attempt on an active PR',
      edit: body => {
        body.resource.status = 'active';
      },
      expected: {
        ignored: 'git.pullrequest.merged with status "active" is not tracked',
      },
    },
    {
      // Same externalId as the merged event: the store keeps one pr-merged.
      file: 'git.pullrequest.updated.json',
      expected: {
        deliveryId: 'af07be1b-f3ad-44c8-a7f1-c4835f2df06b',
        events: [
          {
            kind: 'pr-merged',
            url: 'https://dev.azure.com/fabrikam/DefaultCollection/_git/Fabrikam/pullrequest/1',
            ...pr1,
            mergedAt: date('2014-06-30T18:59:12.366Z'),
            timestamp: date('2014-06-30T18:59:12.366Z'),
          },
        ],
      },
    },
    {
      file: 'git.pullrequest.updated.json',
      name: 'abandoned (derived)',
      edit: body => {
        body.resource.status = 'abandoned';
      },
      expected: {
        deliveryId: 'af07be1b-f3ad-44c8-a7f1-c4835f2df06b',
        events: [
          {
            kind: 'pr-closed',
            url: 'https://dev.azure.com/fabrikam/DefaultCollection/_git/Fabrikam/pullrequest/1',
            ...pr1,
            closedAt: date('2014-06-30T18:59:12.366Z'),
            timestamp: date('2014-06-30T18:59:12.366Z'),
          },
        ],
      },
    },
    {
      file: 'ms.vss-release.deployment-completed-event.json',
      expected: {
        deliveryId: 'c3e52c57-187a-45c4-abe2-184a48291bad',
        events: [
          {
            kind: 'deployment',
            source: tool,
            environment: 'Dev',
            result: 'success',
            deploymentId: '1/5',
            timestamp: date('2016-09-19T13:03:28.534Z'),
          },
        ],
      },
    },
    {
      file: 'ms.vss-release.deployment-completed-event.json',
      name: 'failed (derived)',
      edit: body => {
        body.resource.environment.status = 'failed';
      },
      expected: {
        deliveryId: 'c3e52c57-187a-45c4-abe2-184a48291bad',
        events: [
          {
            kind: 'deployment',
            source: tool,
            environment: 'Dev',
            result: 'failure',
            deploymentId: '1/5',
            timestamp: date('2016-09-19T13:03:28.534Z'),
          },
        ],
      },
    },
    {
      file: 'ms.vss-release.deployment-completed-event.json',
      name: 'outside the production environments',
      options: { productionEnvironments: ['Production'] },
      expected: {
        ignored: 'deployment environment "Dev" is not one of "Production"',
      },
    },
    {
      file: 'workitem.created.json',
      expected: { ignored: 'work item 5 is not an incident' },
    },
    {
      file: 'workitem.created.json',
      name: 'Incident work item type',
      edit: body => {
        body.resource.fields['System.WorkItemType'] = 'Incident';
      },
      expected: {
        deliveryId: 'd2d46fb1-dba5-403c-9373-427583f19e8c',
        events: [
          {
            kind: 'incident-opened',
            source: tool,
            id: '5',
            createdAt: date('2014-07-15T17:42:44.663Z'),
            timestamp: date('2014-07-15T17:42:44.663Z'),
            externalId: 'azure-devops:workitem:5',
          },
        ],
      },
    },
    {
      file: 'workitem.updated.json',
      expected: { ignored: 'work item 5 is not an incident' },
    },
    {
      file: 'workitem.updated.json',
      name: 'incident closed (derived)',
      edit: body => {
        body.resource.revision.fields['System.WorkItemType'] = 'Incident';
        body.resource.fields['System.State'].newValue = 'Closed';
      },
      expected: {
        deliveryId: '27646e0e-b520-4d2b-9411-bba7524947cd',
        events: [
          {
            kind: 'incident-resolved',
            source: tool,
            id: '5',
            createdAt: date('2014-07-15T16:48:44.663Z'),
            resolvedAt: date('2014-07-15T17:42:44.663Z'),
            timestamp: date('2014-07-15T17:42:44.663Z'),
            externalId: 'azure-devops:workitem:5',
          },
        ],
      },
    },
    {
      file: 'workitem.updated.json',
      name: 'incident tag added (derived)',
      edit: body => {
        body.resource.fields['System.Tags'] = {
          oldValue: 'sev1',
          newValue: 'sev1; Incident',
        };
      },
      expected: {
        deliveryId: '27646e0e-b520-4d2b-9411-bba7524947cd',
        events: [
          {
            kind: 'incident-opened',
            source: tool,
            id: '5',
            createdAt: date('2014-07-15T17:42:44.663Z'),
            timestamp: date('2014-07-15T17:42:44.663Z'),
            externalId: 'azure-devops:workitem:5',
          },
        ],
      },
    },
    {
      file: 'workitem.updated.json',
      name: 'incident tag removed (derived)',
      edit: body => {
        body.resource.fields['System.Tags'] = { oldValue: 'incident' };
      },
      expected: {
        deliveryId: '27646e0e-b520-4d2b-9411-bba7524947cd',
        events: [
          {
            kind: 'incident-resolved',
            source: tool,
            id: '5',
            createdAt: date('2014-07-15T16:48:44.663Z'),
            resolvedAt: date('2014-07-15T17:42:44.663Z'),
            timestamp: date('2014-07-15T17:42:44.663Z'),
            externalId: 'azure-devops:workitem:5',
          },
        ],
      },
    },
  ]);

  it('has a case for every fixture', () => {
    expect(files).toEqual(fixtureNames(tool));
  });

  it.each(table)('%s', (_, run, expected) => {
    expect(run()).toEqual(expected);
  });

  it('ignores untracked events', () => {
    expect(
      adaptAzureDevops(
        {},
        { eventType: 'build.complete', id: 'x', resource: {} },
        { incidentLabel: 'incident' },
      ),
    ).toEqual({
      ignored: 'Azure DevOps event "build.complete" is not tracked',
    });
  });

  it('rejects a malformed body naming the field', () => {
    const body = loadFixture(tool, 'git.pullrequest.created.json');
    delete body.resource.creationDate;
    expect(() =>
      adaptAzureDevops({}, body, { incidentLabel: 'incident' }),
    ).toThrow(
      new InputError(
        'Azure DevOps git.pullrequest.created: missing or invalid field "resource.creationDate" (expected a date)',
      ),
    );
  });
});
