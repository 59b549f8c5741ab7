import {
  COMPLETENESS_FIELDS,
  completenessOf,
  DEFAULT_REVIEW_QUESTIONS,
  gradeOf,
  healthScore,
  REVIEW_AREAS,
  reviewScore,
} from './health';

const NOW = Date.parse('2026-12-06T00:00:00Z');
const options = { now: NOW, reviewMaxAgeDays: 180 };
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

  it('grades by the thresholds given', () => {
    expect(gradeOf(89.99)).toBe('B');
    expect(gradeOf(70)).toBe('C');
    expect(gradeOf(49)).toBe('F');
    expect(gradeOf(75, { A: 95, B: 85, C: 75, D: 65, E: 55 })).toBe('C');
  });
});
