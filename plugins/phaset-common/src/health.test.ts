import {
  COMPLETENESS_FIELDS,
  completenessOf,
  DEFAULT_REVIEW_QUESTIONS,
  gradeOf,
  healthScore,
  REVIEW_AREAS,
  reviewScore,
  telemetryScoreOf,
} from './health';

const NOW = Date.parse('2026-12-06T00:00:00Z');
const options = { now: NOW, reviewMaxAgeDays: 180, telemetryWindowDays: 90 };
/** Every deployment, change and incident connected: telemetry coverage 100. */
const reporting = {
  deployments: 12,
  changes: { total: 30, deployed: 30 },
  incidents: { total: 2, linked: 2 },
};
const full = {
  spec: {
    repo: 'https://github.com/acme/orders',
    name: 'Orders',
    description: 'Takes orders',
    kind: 'service',
    lifecycleStage: 'production',
    group: 'teamshop',
    system: 'checkout',
    domain: 'commerce',
    dataSensitivity: 'internal',
    businessCriticality: 'high',
  },
  contacts: [{ email: 'team@acme.example' }],
  slo: [
    {
      title: 'Up',
      description: 'Up',
      type: 'availability',
      target: '99.9%',
      period: 30,
    },
  ],
  links: [{ url: 'https://acme.example', title: 'Home' }],
  api: [{ name: 'orders' }],
  dependencies: [{ target: 'Basket0001' }],
  tags: ['shop'],
  baseline: { id: 'default' },
} as any;

describe('the Review template', () => {
  it('asks ten questions in each of the three areas, each id once', () => {
    expect(DEFAULT_REVIEW_QUESTIONS).toHaveLength(30);
    for (const area of REVIEW_AREAS) {
      expect(
        DEFAULT_REVIEW_QUESTIONS.filter(q => q.area === area),
      ).toHaveLength(10);
    }
    expect(new Set(DEFAULT_REVIEW_QUESTIONS.map(q => q.id)).size).toBe(30);
  });

  it('scores yes 1, partly 0.5, no 0 and leaves n/a out', () => {
    expect(
      reviewScore([
        { questionId: 'a', value: 'yes' },
        { questionId: 'b', value: 'partly' },
        { questionId: 'c', value: 'no' },
        { questionId: 'd', value: 'na' },
      ]),
    ).toBe(50);
    expect(reviewScore([{ questionId: 'a', value: 'na' }])).toBeNull();
  });
});

describe('completeness', () => {
  it('weighs fields to 100 and lists what is missing', () => {
    expect(COMPLETENESS_FIELDS.reduce((n, f) => n + f.weight, 0)).toBe(100);
    expect(completenessOf(full)).toEqual({ score: 100, missing: [] });
    const { contacts, slo, ...rest } = full;
    expect(completenessOf(rest)).toEqual({
      score: 80,
      missing: ['contacts', 'slo'],
    });
    expect(completenessOf(undefined).score).toBe(0);
  });
});

describe('the Health Score', () => {
  it('is the mean of the three parts, graded from A at 90', () => {
    const health = healthScore(
      {
        standards: { passes: 9, warnings: 1, failures: 0 },
        manifest: full,
        review: { score: 80, createdAt: '2026-11-01T00:00:00Z' },
        telemetry: reporting,
      },
      options,
    );
    expect(health.score).toBe((90 + 100 + 80) / 3);
    expect(health.grade).toBe('A');
    expect(health.next).toEqual(['Fix the 1 warning Standards checks.']);
  });

  it('counts a missing part 0 and an old Review half', () => {
    const health = healthScore(
      {
        manifest: full,
        review: { score: 60, createdAt: '2026-01-01T00:00:00Z' },
        telemetry: reporting,
      },
      options,
    );
    expect(health.parts.standards.score).toBeNull();
    expect(health.parts.review).toMatchObject({
      score: 60,
      counted: 30,
      stale: true,
    });
    expect(health.score).toBe((0 + 100 + 30) / 3);
    expect(health.grade).toBe('F');
    expect(health.next).toHaveLength(2);
  });

  it('counts telemetry coverage for a fifth of completeness', () => {
    const silent = healthScore(
      {
        standards: { passes: 10, warnings: 0, failures: 0 },
        manifest: full,
        review: { score: 100, createdAt: '2026-11-01T00:00:00Z' },
        telemetry: {
          deployments: 0,
          changes: { total: 0, deployed: 0 },
          incidents: { total: 0, linked: 0 },
        },
      },
      options,
    );
    expect(silent.parts.completeness).toMatchObject({
      score: 80,
      manifest: 100,
      missing: [],
      telemetry: { score: 0, windowDays: 90 },
    });
    expect(silent.score).toBe((100 + 80 + 100) / 3);
    expect(silent.grade).toBe('A');
    expect(silent.next).toEqual([
      "Send production deployments: none arrived in the last 90 days (see the Metrics tab's coverage panel).",
      'Send changes (commits or pushes): none arrived in the last 90 days.',
    ]);
  });

  it('scores telemetry as the mean of deployments, deployed changes and linked incidents', () => {
    const counts = {
      deployments: 3,
      changes: { total: 4, deployed: 1 },
      incidents: { total: 0, linked: 0 },
    };
    // Without incidents the third share is left out: (1 + 1/4) / 2.
    expect(telemetryScoreOf(counts, 30).coverage.score).toBe(62.5);
    expect(telemetryScoreOf(counts, 30).next).toEqual([
      '3 of 4 changes of the last 30 days reached no deployment: do the deployments name their commits?',
    ]);
    const withIncidents = {
      ...counts,
      incidents: { total: 2, linked: 1 },
    };
    expect(telemetryScoreOf(withIncidents, 30).coverage.score).toBe(
      (100 * (1 + 0.25 + 0.5)) / 3,
    );
    // Changes but no deployment: both the deployment share and the change share are 0.
    expect(
      telemetryScoreOf(
        { ...counts, deployments: 0, changes: { total: 4, deployed: 0 } },
        30,
      ).coverage.score,
    ).toBe(0);
  });

  it('grades by the thresholds given', () => {
    expect(gradeOf(89.99)).toBe('B');
    expect(gradeOf(70)).toBe('C');
    expect(gradeOf(49)).toBe('F');
    expect(gradeOf(75, { A: 95, B: 85, C: 75, D: 65, E: 55 })).toBe('C');
  });
});
