import {
  computeDora,
  computeEngineering,
  MetricsFacts,
} from './computeMetrics';

const BASE = Date.UTC(2026, 0, 5); // a Monday
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (days: number, hours = 0) => BASE + days * DAY + hours * HOUR;
const window30 = { from: BASE, to: at(30) };

const facts = (partial: Partial<MetricsFacts>): MetricsFacts => ({
  deployments: [],
  changes: [],
  incidents: [],
  pullRequests: [],
  reviews: [],
  comments: [],
  ...partial,
});

describe('computeDora', () => {
  it('reports missing data with reasons and no tiers', () => {
    const dora = computeDora(facts({}), window30, at(30));
    expect(dora.deploymentFrequency).toEqual({
      deployments: 0,
      perDay: 0,
      perWeek: 0,
      medianDeploymentDaysPerWeek: 0,
      deploymentDaysPerMonth: 0,
      tier: null,
    });
    expect(dora.leadTimeForChanges).toEqual({
      value: null,
      reason: 'no change was deployed in the window',
      count: 0,
      tier: null,
    });
    expect(dora.changeFailureRate).toEqual({
      value: null,
      reason: 'no deployments in the window',
      deployments: 0,
      tier: null,
    });
    expect(dora.failedDeploymentRecoveryTime.tier).toBeNull();
    expect(dora.timeToRestore).toEqual(
      expect.objectContaining({ value: null, count: 0, open: [] }),
    );
  });

  it('measures lead time to the first deployment at or after each change', () => {
    const dora = computeDora(
      facts({
        changes: [
          { at: at(0), commitSha: 'a' },
          { at: at(0, 6), commitSha: 'b' },
          // After the last deployment: not deployed yet, not counted.
          { at: at(2), commitSha: 'c' },
        ],
        deployments: [{ at: at(1), commitShas: ['b'] }],
      }),
      window30,
      at(30),
    );
    // 24 h and 18 h: interpolated median 21 h, p75 22.5 h, p90 23.4 h.
    expect(dora.leadTimeForChanges).toEqual({
      unit: 'seconds',
      count: 2,
      median: 21 * 3600,
      p75: 22.5 * 3600,
      p90: 23.4 * 3600,
      mean: 21 * 3600,
      tier: 'elite',
    });
  });

  it('lets a deployment of the same commit deploy a change stamped after it', () => {
    const dora = computeDora(
      facts({
        changes: [{ at: at(1, 1), commitSha: 'a' }],
        deployments: [{ at: at(1), commitShas: ['a'] }],
      }),
      window30,
      at(30),
    );
    expect(dora.leadTimeForChanges).toEqual(
      expect.objectContaining({ count: 1, median: 0 }),
    );
  });

  it('counts only changes whose deployment falls in the window', () => {
    const dora = computeDora(
      facts({
        changes: [
          { at: at(-3), commitSha: 'old' },
          { at: at(29), commitSha: 'late' },
        ],
        deployments: [
          { at: at(-2), commitShas: ['old'] },
          { at: at(31), commitShas: ['late'] },
        ],
      }),
      window30,
      at(40),
    );
    expect(dora.leadTimeForChanges.count).toBe(0);
  });

  it('counts each failed deployment once and links incidents to the latest deployment before them', () => {
    const dora = computeDora(
      facts({
        deployments: [
          { at: at(1), commitShas: ['a'] },
          { at: at(3), commitShas: ['b'] },
        ],
        incidents: [
          { id: 'i1', openedAt: at(1, 1), resolvedAt: at(1, 3) },
          { id: 'i2', openedAt: at(2), resolvedAt: at(2, 0.5) },
          // Before any deployment: counts for time to restore only.
          { id: 'i0', openedAt: at(0), resolvedAt: at(0, 4) },
        ],
      }),
      window30,
      at(30),
    );
    expect(dora.changeFailureRate).toEqual({
      value: 0.5,
      failedDeployments: 1,
      deployments: 2,
      tier: 'low',
    });
    // i1: 3 h after its deployment, i2: 24.5 h after it.
    expect(dora.failedDeploymentRecoveryTime).toEqual(
      expect.objectContaining({ count: 2, median: 13.75 * 3600, tier: 'high' }),
    );
    // i1 2 h, i2 0.5 h, i0 4 h.
    expect(dora.timeToRestore).toEqual(
      expect.objectContaining({
        count: 3,
        median: 2 * 3600,
        tier: 'high',
        open: [],
      }),
    );
  });

  it('reports unresolved incidents as open with their age', () => {
    const dora = computeDora(
      facts({
        deployments: [{ at: at(1), commitShas: [] }],
        incidents: [
          { id: 'open', openedAt: at(5) },
          { id: 'resolved-later', openedAt: at(6), resolvedAt: at(40) },
        ],
      }),
      window30,
      at(10),
    );
    expect(dora.timeToRestore.open).toEqual([
      {
        id: 'open',
        openedAt: new Date(at(5)).toISOString(),
        ageSeconds: 5 * 86400,
      },
      {
        id: 'resolved-later',
        openedAt: new Date(at(6)).toISOString(),
        ageSeconds: 4 * 86400,
      },
    ]);
    expect(dora.changeFailureRate).toEqual(
      expect.objectContaining({ value: 1, failedDeployments: 1 }),
    );
  });

  it('includes `from` and excludes `to`', () => {
    const dora = computeDora(
      facts({
        deployments: [
          { at: at(0), commitShas: [] },
          { at: at(30), commitShas: [] },
        ],
      }),
      window30,
      at(30),
    );
    expect(dora.deploymentFrequency.deployments).toBe(1);
  });

  it('derives deployment frequency from UTC deployment days per week', () => {
    const dora = computeDora(
      facts({
        deployments: [
          { at: at(0, 1), commitShas: [] },
          { at: at(0, 2), commitShas: [] },
          { at: at(1, 23.5), commitShas: [] },
          { at: at(2, 0.5), commitShas: [] },
          { at: at(3), commitShas: [] },
          { at: at(4), commitShas: [] },
          { at: at(7), commitShas: [] },
        ],
      }),
      { from: BASE, to: at(14) },
      at(14),
    );
    // Week 1 has 5 deployment days (days 0-4), week 2 has 1: median 3.
    expect(dora.deploymentFrequency).toEqual({
      deployments: 7,
      perDay: 0.5,
      perWeek: 3.5,
      medianDeploymentDaysPerWeek: 3,
      deploymentDaysPerMonth: 6 / (14 / 30),
      tier: 'high',
    });
  });

  it('applies configured tier thresholds', () => {
    const dora = computeDora(
      facts({
        changes: [{ at: at(0), commitSha: 'a' }],
        deployments: [{ at: at(2), commitShas: ['a'] }],
      }),
      window30,
      at(30),
      {
        leadTimeSeconds: [3 * 86400, 7 * 86400, 30 * 86400],
        changeFailureRate: [0.05, 0.1, 0.15],
        recoverySeconds: [3600, 86400, 7 * 86400],
        deploymentDaysPerWeek: [5, 1],
        deploymentDaysPerMonth: 1,
      },
    );
    expect(dora.leadTimeForChanges.tier).toBe('elite');
    expect(dora.deploymentFrequency.tier).toBe('medium');
  });
});

describe('the worked example of docs/metrics.md', () => {
  it('gives the documented numbers', () => {
    const dora = computeDora(
      facts({
        changes: [
          { at: at(0), commitSha: 'a' },
          { at: at(0, 6), commitSha: 'b' },
        ],
        deployments: [
          { at: at(1), commitShas: ['b'] },
          { at: at(3), commitShas: ['c'] },
        ],
        incidents: [
          { id: 'i1', openedAt: at(1, 1), resolvedAt: at(1, 3) },
          { id: 'i2', openedAt: at(2), resolvedAt: at(2, 0.5) },
        ],
      }),
      window30,
      at(30),
    );
    expect(dora.deploymentFrequency).toEqual(
      expect.objectContaining({
        deployments: 2,
        medianDeploymentDaysPerWeek: 0,
        deploymentDaysPerMonth: 2,
        tier: 'medium',
      }),
    );
    expect(dora.leadTimeForChanges).toEqual(
      expect.objectContaining({ median: 21 * 3600, tier: 'elite' }),
    );
    expect(dora.changeFailureRate).toEqual(
      expect.objectContaining({ value: 0.5, tier: 'low' }),
    );
    expect(dora.failedDeploymentRecoveryTime).toEqual(
      expect.objectContaining({ median: 13.75 * 3600, tier: 'high' }),
    );
    expect(dora.timeToRestore).toEqual(
      expect.objectContaining({ median: 1.25 * 3600, tier: 'high' }),
    );
  });
});

describe('computeEngineering', () => {
  it('counts activity and derives merge time, review time and review size', () => {
    const engineering = computeEngineering(
      facts({
        changes: [
          { at: at(0), commitSha: 'a' },
          { at: at(0, 1), commitSha: 'a' },
          { at: at(1), commitSha: 'b' },
        ],
        pullRequests: [
          {
            id: 'p1',
            openedAt: at(0),
            createdAt: at(0),
            mergedAt: at(1),
            additions: 10,
            deletions: 5,
            changedFiles: 2,
          },
          { id: 'p2', openedAt: at(2), createdAt: at(2), closedAt: at(3) },
        ],
        reviews: [
          { prId: 'p1', verdict: 'approved', submittedAt: at(0, 2) },
          { prId: 'p1', verdict: 'changes', submittedAt: at(0, 1) },
        ],
        comments: [{ at: at(0) }, { at: at(1) }, { at: at(40) }],
      }),
      window30,
    );
    expect(engineering).toEqual({
      changes: 2,
      pullRequestsOpened: 2,
      pullRequestsMerged: 1,
      pullRequestsClosed: 1,
      reviewsApproved: 1,
      reviewsChangesRequested: 1,
      comments: 2,
      additions: 10,
      deletions: 5,
      changedFiles: 2,
      mergeTime: {
        unit: 'seconds',
        count: 1,
        median: 86400,
        p75: 86400,
        p90: 86400,
        mean: 86400,
        tier: null,
      },
      reviewTime: expect.objectContaining({ count: 1, median: 3600 }),
      reviewSize: {
        unit: 'lines',
        count: 1,
        median: 15,
        p75: 15,
        p90: 15,
        mean: 15,
      },
    });
  });

  it('says why, never 0, when sizes are unknown', () => {
    const engineering = computeEngineering(
      facts({ pullRequests: [{ id: 'p', openedAt: at(1) }] }),
      window30,
    );
    expect(engineering.additions).toEqual({
      value: null,
      reason: 'no opened pull request reports additions',
    });
    expect(engineering.reviewSize).toEqual(
      expect.objectContaining({ value: null, count: 0 }),
    );
    expect(engineering.mergeTime).toEqual(
      expect.objectContaining({ value: null, count: 0 }),
    );
  });
});
