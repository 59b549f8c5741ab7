import { InputError } from '@backstage/errors';
import { NOW } from '../__testUtils__/fixtures';
import { detectAndAdapt, WEBHOOK_SOURCES } from '.';

describe('detectAndAdapt', () => {
  it('has one row per native tool', () => {
    expect(WEBHOOK_SOURCES.map(s => s.source)).toEqual([
      'github',
      'gitlab',
      'bitbucket',
      'linear',
      'azure-devops',
      'jira',
    ]);
  });

  it('falls back to Phaset JSON events', () => {
    expect(
      detectAndAdapt(
        {},
        {
          event: 'change',
          commitSha: 'cf1d3df5ea4373e69d8adc3808e9f8ce23b61360',
          timestamp: '1732802071',
        },
      ),
    ).toEqual({
      source: 'phaset',
      events: [
        {
          kind: 'change',
          source: 'phaset',
          commitSha: 'cf1d3df5ea4373e69d8adc3808e9f8ce23b61360',
          timestamp: new Date(1732802071000),
        },
      ],
    });
  });

  it('fills missing Phaset timestamps from now', () => {
    expect(
      detectAndAdapt({}, { event: 'comment' }, { now: () => NOW }),
    ).toEqual({
      source: 'phaset',
      events: [{ kind: 'comment', source: 'phaset', timestamp: NOW }],
    });
  });

  it('rejects bodies that are neither', () => {
    expect(() => detectAndAdapt({}, { hello: 'world' })).toThrow(InputError);
    expect(() =>
      detectAndAdapt({}, { event: 'change', commitSha: 'abc', timestamp: '1' }),
    ).toThrow(/timestamp: Expected a Unix timestamp/);
  });

  it('uses the default incident label when none is configured', () => {
    expect(
      detectAndAdapt(
        { 'x-github-event': 'issues' },
        {
          action: 'opened',
          issue: {
            id: 7,
            number: 3,
            created_at: '2024-01-01T00:00:00Z',
            labels: [{ name: 'Incident' }],
          },
        },
        { incidentLabel: '' },
      ),
    ).toEqual({
      source: 'github',
      events: [
        {
          kind: 'incident-opened',
          source: 'github',
          id: '7',
          externalId: 'github:issue:7',
          createdAt: new Date('2024-01-01T00:00:00Z'),
          timestamp: new Date('2024-01-01T00:00:00Z'),
        },
      ],
    });
  });
});
