import { InputError } from '@backstage/errors';
import { fixtureCases } from '../../__testUtils__/cases';
import { date, fixtureNames, loadFixture } from '../../__testUtils__/fixtures';
import { adaptJira } from './adapter';

const tool = 'jira' as const;
const issue10040 = {
  source: tool,
  id: '10040',
  externalId: 'jira:issue:10040',
};

describe('Jira Cloud webhooks', () => {
  // The event type is the body's webhookEvent; Jira sends no event header.
  const { files, table } = fixtureCases(tool, () => ({}), [
    {
      file: 'jira.issue_created.json',
      expected: { ignored: 'issue 10040 is not an incident' },
    },
    {
      file: 'jira.issue_created.json',
      name: 'with incident label "test-label"',
      options: { incidentLabel: 'test-label' },
      expected: {
        deliveryId: '1550286113023:10040:jira:issue_created',
        events: [
          {
            kind: 'incident-opened',
            url: 'https://some-instance-test.atlassian.net/browse/TES-41',
            ...issue10040,
            createdAt: date('2019-02-16T03:01:52.971Z'),
            timestamp: date('2019-02-16T03:01:52.971Z'),
          },
        ],
      },
    },
    {
      file: 'jira.issue_updated.status_done.json',
      expected: { ignored: 'issue 10040 is not an incident' },
    },
    {
      file: 'jira.issue_updated.status_done.json',
      name: 'with incident label "test-label"',
      options: { incidentLabel: 'test-label' },
      expected: {
        deliveryId: '1550286940507:10040:jira:issue_updated',
        events: [
          {
            kind: 'incident-resolved',
            url: 'https://some-instance-test.atlassian.net/browse/TES-41',
            ...issue10040,
            createdAt: date('2019-02-16T03:01:52.971Z'),
            resolvedAt: date('2019-02-16T03:15:40.470Z'),
            timestamp: date('2019-02-16T03:15:40.470Z'),
          },
        ],
      },
    },
    {
      file: 'jira.issue_updated.status_done.json',
      name: 'incident label added (derived)',
      edit: body => {
        body.changelog.items = [
          {
            field: 'labels',
            fromString: 'test-label',
            toString: 'incident test-label',
          },
        ];
      },
      expected: {
        deliveryId: '1550286940507:10040:jira:issue_updated',
        events: [
          {
            kind: 'incident-opened',
            url: 'https://some-instance-test.atlassian.net/browse/TES-41',
            ...issue10040,
            createdAt: new Date(1550286940507),
            timestamp: new Date(1550286940507),
          },
        ],
      },
    },
    {
      file: 'jira.issue_deleted.json',
      expected: { ignored: 'issue 10303 is not an incident' },
    },
    {
      file: 'jira.issue_deleted.json',
      name: 'Incident issue type',
      edit: body => {
        body.issue.fields.issuetype.name = 'Incident';
      },
      expected: {
        deliveryId: '1562177136176:10303:jira:issue_deleted',
        events: [
          {
            kind: 'incident-resolved',
            url: 'https://some-instance-test.atlassian.net/browse/IDT-19',
            source: tool,
            id: '10303',
            externalId: 'jira:issue:10303',
            createdAt: date('2019-07-01T05:13:46.091Z'),
            resolvedAt: new Date(1562177136176),
            timestamp: new Date(1562177136176),
          },
        ],
      },
    },
    {
      file: 'comment_created.json',
      expected: {
        deliveryId: '1550286678321:10040:comment_created',
        events: [
          {
            kind: 'comment',
            source: tool,
            target: 'issue',
            timestamp: date('2019-02-16T03:11:18.321Z'),
            externalId: 'jira:comment:10019',
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
      adaptJira(
        {},
        { webhookEvent: 'sprint_started', timestamp: 1 },
        { incidentLabel: 'incident' },
      ),
    ).toEqual({ ignored: 'Jira event "sprint_started" is not tracked' });
  });

  it('rejects a malformed body naming the field', () => {
    const body = loadFixture(tool, 'jira.issue_created.json');
    delete body.issue.fields.created;
    expect(() => adaptJira({}, body, { incidentLabel: 'incident' })).toThrow(
      new InputError(
        'Jira jira:issue_created: missing or invalid field "issue.fields.created" (expected a date)',
      ),
    );
  });
});
