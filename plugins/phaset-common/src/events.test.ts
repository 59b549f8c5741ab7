import {
  normalisePhasetJsonEvent,
  PhasetEvent,
  phasetJsonEventSchema,
} from './events';

const NOW = new Date('2030-01-01T00:00:00Z');
const s = (seconds: number) => new Date(seconds * 1000);

function normalise(body: unknown): PhasetEvent {
  return normalisePhasetJsonEvent(phasetJsonEventSchema.parse(body), () => NOW);
}

describe('Phaset JSON events', () => {
  // The request bodies of seed 001 (Integration API reference). Its text lost
  // the `event` line of some examples and the `id` of the incident ones; those
  // are filled in from the field tables next to each example.
  it.each<[string, unknown, PhasetEvent]>([
    [
      'change',
      {
        event: 'change',
        commitSha: 'cf1d3df5ea4373e69d8adc3808e9f8ce23b61360',
        timestamp: '1732802071',
      },
      {
        kind: 'change',
        source: 'phaset',
        commitSha: 'cf1d3df5ea4373e69d8adc3808e9f8ce23b61360',
        timestamp: s(1732802071),
      },
    ],
    [
      'deployment',
      {
        event: 'deployment',
        commitSha: 'cf1d3df5ea4373e69d8adc3808e9f8ce23b61360',
      },
      {
        kind: 'deployment',
        source: 'phaset',
        commitSha: 'cf1d3df5ea4373e69d8adc3808e9f8ce23b61360',
        result: 'success',
        timestamp: NOW,
      },
    ],
    [
      'incident-opened',
      { event: 'incident-opened', id: 'INC-1', createdAt: '1732718640' },
      {
        kind: 'incident-opened',
        source: 'phaset',
        id: 'INC-1',
        createdAt: s(1732718640),
        timestamp: s(1732718640),
      },
    ],
    [
      'incident-resolved',
      {
        event: 'incident-resolved',
        id: 'INC-1',
        createdAt: '1732718640',
        resolvedAt: '1732718800',
      },
      {
        kind: 'incident-resolved',
        source: 'phaset',
        id: 'INC-1',
        createdAt: s(1732718640),
        resolvedAt: s(1732718800),
        timestamp: s(1732718800),
      },
    ],
    [
      'comment',
      { event: 'comment' },
      { kind: 'comment', source: 'phaset', timestamp: NOW },
    ],
    [
      'review-approved',
      {
        event: 'review-approved',
        createdAt: '1732802071',
        submittedAt: '1733000000',
      },
      {
        kind: 'review-approved',
        source: 'phaset',
        createdAt: s(1732802071),
        submittedAt: s(1733000000),
        timestamp: s(1733000000),
      },
    ],
    [
      'review-changes',
      {
        event: 'review-changes',
        createdAt: '1732802071',
        submittedAt: '1733000000',
      },
      {
        kind: 'review-changes',
        source: 'phaset',
        createdAt: s(1732802071),
        submittedAt: s(1733000000),
        timestamp: s(1733000000),
      },
    ],
    [
      'pr-opened',
      { event: 'pr-opened', additions: 10, changedFiles: 2, deletions: 3 },
      {
        kind: 'pr-opened',
        source: 'phaset',
        additions: 10,
        deletions: 3,
        changedFiles: 2,
        timestamp: NOW,
      },
    ],
    [
      'pr-closed',
      { event: 'pr-closed', createdAt: '1732802071', closedAt: '1733000000' },
      {
        kind: 'pr-closed',
        source: 'phaset',
        createdAt: s(1732802071),
        closedAt: s(1733000000),
        timestamp: s(1733000000),
      },
    ],
    [
      'pr-merged',
      {
        event: 'pr-merged',
        createdAt: '1732802071',
        mergedAt: '1733000000123',
      },
      {
        kind: 'pr-merged',
        source: 'phaset',
        createdAt: s(1732802071),
        mergedAt: new Date(1733000000123),
        timestamp: new Date(1733000000123),
      },
    ],
  ])('%s', (_, body, expected) => {
    expect(normalise(body)).toEqual(expected);
  });

  it('defaults every optional timestamp to now', () => {
    expect(normalise({ event: 'pr-merged' })).toEqual({
      kind: 'pr-merged',
      source: 'phaset',
      timestamp: NOW,
    });
    expect(normalise({ event: 'review-approved' })).toEqual({
      kind: 'review-approved',
      source: 'phaset',
      timestamp: NOW,
    });
  });

  it.each([
    ['unknown event', { event: 'push' }],
    ['change without commitSha', { event: 'change' }],
    [
      'incident-opened without createdAt',
      { event: 'incident-opened', id: 'x' },
    ],
    [
      'incident-resolved without resolvedAt',
      { event: 'incident-resolved', id: 'x', createdAt: '1732718640' },
    ],
    [
      '11-digit timestamp',
      { event: 'change', commitSha: 'abc', timestamp: '17328020711' },
    ],
    [
      'ISO timestamp',
      { event: 'change', commitSha: 'abc', timestamp: '2024-11-28T13:54:31Z' },
    ],
    [
      'negative timestamp',
      { event: 'deployment', commitSha: 'abc', timestamp: -1732802071 },
    ],
    ['fractional additions', { event: 'pr-opened', additions: 1.5 }],
    ['not an object', 'change'],
  ])('rejects %s', (_, body) => {
    expect(phasetJsonEventSchema.safeParse(body).success).toBe(false);
  });
});
