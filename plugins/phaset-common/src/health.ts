import type { RecordUpdate } from './manifest';

/*
 * Phaset's Health Score of a Record (docs/health.md): the mean of three parts,
 * each 0 to 100: Standards (the latest StandardLint result), completeness
 * (how much of phaset.manifest.json is filled in) and the latest Review.
 */

/** The three areas a Review covers. @public */
export const REVIEW_AREAS = [
  'Architecture',
  'Development',
  'Operations',
] as const;

/** @public */
export type ReviewArea = (typeof REVIEW_AREAS)[number];

/** One question of the Review template. @public */
export type ReviewQuestion = { id: string; area: ReviewArea; text: string };

/** The fixed answer scale; `na` leaves the question out of the score. @public */
export const REVIEW_ANSWERS = ['yes', 'partly', 'no', 'na'] as const;

/** @public */
export type ReviewAnswerValue = (typeof REVIEW_ANSWERS)[number];

/** @public */
export type ReviewAnswer = {
  questionId: string;
  value: ReviewAnswerValue;
  /** Marked as a priority to act on. */
  prioritised?: boolean;
  comment?: string;
};

const ANSWER_POINTS: Record<Exclude<ReviewAnswerValue, 'na'>, number> = {
  yes: 1,
  partly: 0.5,
  no: 0,
};

const q = (area: ReviewArea, id: string, text: string): ReviewQuestion => ({
  id,
  area,
  text,
});

/** The default template: ten questions per area; `phaset.health.review.questions` replaces it. @public */
export const DEFAULT_REVIEW_QUESTIONS: ReviewQuestion[] = [
  q(
    'Architecture',
    'arch-boundaries',
    'Does the component have one clear responsibility and documented boundaries?',
  ),
  q(
    'Architecture',
    'arch-diagram',
    'Is there an up-to-date architecture diagram or decision record?',
  ),
  q(
    'Architecture',
    'arch-dependencies',
    'Are its dependencies declared, and is each one still needed?',
  ),
  q(
    'Architecture',
    'arch-api-contract',
    'Are its APIs described by a contract (OpenAPI, AsyncAPI, schema)?',
  ),
  q(
    'Architecture',
    'arch-versioning',
    'Are breaking API changes versioned and announced?',
  ),
  q(
    'Architecture',
    'arch-data',
    'Is it clear which data it owns, and is that data classified?',
  ),
  q(
    'Architecture',
    'arch-scaling',
    'Can it scale horizontally, or are its limits known?',
  ),
  q(
    'Architecture',
    'arch-failure',
    'Does it degrade gracefully when a dependency fails (timeouts, retries, fallbacks)?',
  ),
  q(
    'Architecture',
    'arch-security',
    'Has it had a threat model or security review?',
  ),
  q('Architecture', 'arch-cost', 'Are its running costs known and reviewed?'),
  q(
    'Development',
    'dev-readme',
    'Can a new developer build and run it from the README alone?',
  ),
  q(
    'Development',
    'dev-tests',
    'Do automated tests cover its important behaviour?',
  ),
  q('Development', 'dev-ci', 'Does CI build, test and lint every change?'),
  q(
    'Development',
    'dev-review',
    'Is every change reviewed by another person before it merges?',
  ),
  q(
    'Development',
    'dev-small-changes',
    'Are changes small and merged within a day or two?',
  ),
  q(
    'Development',
    'dev-dependencies-updated',
    'Are third-party dependencies kept up to date automatically?',
  ),
  q(
    'Development',
    'dev-vulnerabilities',
    'Are known vulnerabilities scanned for and fixed?',
  ),
  q(
    'Development',
    'dev-secrets',
    'Are secrets kept out of the repository and rotated?',
  ),
  q(
    'Development',
    'dev-code-owners',
    'Is ownership of the code clear (CODEOWNERS, team)?',
  ),
  q('Development', 'dev-debt', 'Is technical debt tracked and paid down?'),
  q(
    'Operations',
    'ops-deploy-automated',
    'Is deployment to production automated and repeatable?',
  ),
  q(
    'Operations',
    'ops-rollback',
    'Can a bad release be rolled back within minutes?',
  ),
  q(
    'Operations',
    'ops-monitoring',
    'Are its health and key metrics monitored?',
  ),
  q(
    'Operations',
    'ops-alerting',
    'Do alerts reach the owning team, and are they actionable?',
  ),
  q(
    'Operations',
    'ops-slo',
    'Does it have service level objectives that are measured?',
  ),
  q(
    'Operations',
    'ops-logging',
    'Are logs structured, searchable and free of personal data?',
  ),
  q('Operations', 'ops-runbook', 'Is there a runbook for its common failures?'),
  q('Operations', 'ops-on-call', 'Is someone on call for it when it matters?'),
  q(
    'Operations',
    'ops-backup',
    'Are its data backed up, and has a restore been tested?',
  ),
  q(
    'Operations',
    'ops-incidents',
    'Are incidents reviewed, and are their actions followed up?',
  ),
];

/**
 * A Review's score, 0 to 100: the mean of its answers (yes 1, partly 0.5,
 * no 0) over the questions not answered `na`; null when every answer is `na`.
 *
 * @public
 */
export function reviewScore(answers: ReviewAnswer[]): number | null {
  const points = answers.flatMap(a =>
    a.value === 'na' ? [] : [ANSWER_POINTS[a.value]],
  );
  if (points.length === 0) return null;
  return (100 * points.reduce((sum, p) => sum + p, 0)) / points.length;
}

/** A manifest field that counts for completeness, and its weight. @public */
export type CompletenessField = {
  field: string;
  weight: number;
  present: (manifest: RecordUpdate) => boolean;
};

const filled = (value: unknown) =>
  value !== undefined && value !== null && value !== '';
const listed = (value: unknown[] | undefined) => (value?.length ?? 0) > 0;

/**
 * The fields of phaset.manifest.json that make a Record complete, weights
 * summing to 100 (`spec.repo` and `spec.name` are required by the contract,
 * so every manifest has them and they do not count).
 *
 * @public
 */
export const COMPLETENESS_FIELDS: CompletenessField[] = [
  {
    field: 'spec.description',
    weight: 10,
    present: m => filled(m.spec.description),
  },
  { field: 'spec.kind', weight: 5, present: m => filled(m.spec.kind) },
  {
    field: 'spec.lifecycleStage',
    weight: 10,
    present: m => filled(m.spec.lifecycleStage),
  },
  { field: 'spec.group', weight: 10, present: m => filled(m.spec.group) },
  { field: 'spec.system', weight: 5, present: m => filled(m.spec.system) },
  { field: 'spec.domain', weight: 5, present: m => filled(m.spec.domain) },
  {
    field: 'spec.dataSensitivity',
    weight: 5,
    present: m => filled(m.spec.dataSensitivity),
  },
  {
    field: 'spec.businessCriticality',
    weight: 5,
    present: m => filled(m.spec.businessCriticality),
  },
  { field: 'contacts', weight: 10, present: m => listed(m.contacts) },
  { field: 'slo', weight: 10, present: m => listed(m.slo) },
  { field: 'links', weight: 5, present: m => listed(m.links) },
  { field: 'api', weight: 5, present: m => listed(m.api) },
  { field: 'dependencies', weight: 5, present: m => listed(m.dependencies) },
  { field: 'tags', weight: 5, present: m => listed(m.tags) },
  { field: 'baseline', weight: 5, present: m => filled(m.baseline?.id) },
];

/** How complete a manifest is: 100 minus the weights of `missing`. @public */
export type ManifestCompleteness = { score: number; missing: string[] };

/**
 * What a Record reported over the last `windowDays`: its successful
 * production deployments, its changes (commits) and those a deployment
 * shipped, its incidents and those linked to a deployment.
 *
 * @public
 */
export type TelemetryCounts = {
  deployments: number;
  changes: { total: number; deployed: number };
  incidents: { total: number; linked: number };
};

/** The counts of a Record that reported nothing. @public */
export const NO_TELEMETRY: TelemetryCounts = Object.freeze({
  deployments: 0,
  changes: Object.freeze({ total: 0, deployed: 0 }),
  incidents: Object.freeze({ total: 0, linked: 0 }),
});

/** Telemetry coverage, 0 to 100, and the counts it is made of. @public */
export type TelemetryCoverageScore = TelemetryCounts & {
  score: number;
  windowDays: number;
};

/**
 * A Record's completeness: its manifest's (80 %) and its telemetry's (20 %),
 * so that a Record whose webhooks are mis-wired is not complete.
 *
 * @public
 */
export type Completeness = ManifestCompleteness & {
  manifest: number;
  telemetry: TelemetryCoverageScore;
};

/** The manifest's share of completeness; the telemetry has the rest. */
export const MANIFEST_SHARE = 0.8;

/** Phaset's default window for telemetry coverage. @public */
export const DEFAULT_TELEMETRY_WINDOW_DAYS = 90;

/** How complete a manifest is; without a manifest, 0 with every field missing. @public */
export function completenessOf(
  manifest: RecordUpdate | undefined,
): ManifestCompleteness {
  const missing = COMPLETENESS_FIELDS.filter(
    f => !manifest || !f.present(manifest),
  );
  return {
    score: 100 - missing.reduce((sum, f) => sum + f.weight, 0),
    missing: missing.map(f => f.field),
  };
}

/**
 * Telemetry coverage: the mean, × 100, of (1) a production deployment in
 * the window, 1 or 0; (2) the share of the window's changes a deployment
 * shipped, 0 without changes; (3) the share of its incidents linked to a
 * deployment, left out without incidents. With what would raise it.
 *
 * @public
 */
export function telemetryScoreOf(
  counts: TelemetryCounts,
  windowDays: number,
): { coverage: TelemetryCoverageScore; next: string[] } {
  const { deployments, changes, incidents } = counts;
  const shares = [
    deployments > 0 ? 1 : 0,
    changes.total > 0 ? changes.deployed / changes.total : 0,
  ];
  if (incidents.total > 0) shares.push(incidents.linked / incidents.total);
  const score = (100 * shares.reduce((sum, s) => sum + s, 0)) / shares.length;
  const next: string[] = [];
  const days = `the last ${windowDays} days`;
  if (deployments === 0) {
    next.push(
      `Send production deployments: none arrived in ${days} (see the Metrics tab's coverage panel).`,
    );
  }
  if (changes.total === 0) {
    next.push(`Send changes (commits or pushes): none arrived in ${days}.`);
  } else if (changes.deployed < changes.total && deployments > 0) {
    next.push(
      `${changes.total - changes.deployed} of ${
        changes.total
      } changes of ${days} reached no deployment: do the deployments name their commits?`,
    );
  }
  return { coverage: { ...counts, score, windowDays }, next };
}

/** Lowest score of each grade; below the last one is F. @public */
export type GradeThresholds = {
  A: number;
  B: number;
  C: number;
  D: number;
  E: number;
};

/** Phaset's grades: A from 90. @public */
export const DEFAULT_GRADE_THRESHOLDS: GradeThresholds = {
  A: 90,
  B: 80,
  C: 70,
  D: 60,
  E: 50,
};

/** @public */
export type Grade = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

/** @public */
export function gradeOf(
  score: number,
  thresholds: GradeThresholds = DEFAULT_GRADE_THRESHOLDS,
): Grade {
  for (const grade of ['A', 'B', 'C', 'D', 'E'] as const) {
    if (score >= thresholds[grade]) return grade;
  }
  return 'F';
}

/** What the score of a Record is made of, and what to do next. @public */
export type HealthScore = {
  score: number;
  grade: Grade;
  parts: {
    standards: { score: number | null; reason?: string };
    completeness: Completeness;
    review: {
      /** The latest Review's score, before any reduction for its age. */
      score: number | null;
      /** What it counts for in the Health Score. */
      counted: number;
      reviewedAt?: string;
      /** Older than the configured age: it counts half. */
      stale: boolean;
      reason?: string;
    };
  };
  next: string[];
};

const DAY_MS = 86_400_000;

/**
 * The Health Score: (Standards + completeness + Review) / 3. A missing part
 * counts 0 (a Record without Standards results or a Review cannot rank above
 * one with them); a Review older than `reviewMaxAgeDays` counts half.
 *
 * @public
 */
export function healthScore(
  input: {
    standards?: { passes: number; warnings: number; failures: number };
    manifest?: RecordUpdate;
    review?: { score: number | null; createdAt: string };
    telemetry: TelemetryCounts;
  },
  options: {
    now: number;
    reviewMaxAgeDays: number;
    telemetryWindowDays: number;
    grades?: GradeThresholds;
  },
): HealthScore {
  const next: string[] = [];
  const { standards, manifest, review } = input;
  const total = standards
    ? standards.passes + standards.warnings + standards.failures
    : 0;
  const standardsPart =
    standards && total > 0
      ? { score: (100 * standards.passes) / total }
      : {
          score: null,
          reason: standards
            ? 'the latest StandardLint result ran no check'
            : 'no StandardLint result yet',
        };
  if (standardsPart.score === null) {
    next.push('Run StandardLint in CI with the Baseline and post its result.');
  } else if (standards!.failures + standards!.warnings > 0) {
    const counts = [
      standards!.failures && `${standards!.failures} failing`,
      standards!.warnings && `${standards!.warnings} warning`,
    ].filter(Boolean);
    next.push(`Fix the ${counts.join(' and ')} Standards checks.`);
  }
  const ofManifest = completenessOf(manifest);
  if (!manifest) {
    next.push('Push phaset.manifest.json from CI.');
  } else if (ofManifest.missing.length > 0) {
    next.push(
      `Fill in ${ofManifest.missing.join(', ')} in phaset.manifest.json.`,
    );
  }
  const telemetry = telemetryScoreOf(
    input.telemetry,
    options.telemetryWindowDays,
  );
  next.push(...telemetry.next);
  const completeness: Completeness = {
    score:
      MANIFEST_SHARE * ofManifest.score +
      (1 - MANIFEST_SHARE) * telemetry.coverage.score,
    missing: ofManifest.missing,
    manifest: ofManifest.score,
    telemetry: telemetry.coverage,
  };
  let reviewPart: HealthScore['parts']['review'];
  if (!review || review.score === null) {
    reviewPart = {
      score: null,
      counted: 0,
      stale: false,
      reason: review
        ? 'every answer of the latest Review is n/a'
        : 'no Review yet',
      ...(review && { reviewedAt: review.createdAt }),
    };
    next.push('Fill in a Review of the Record.');
  } else {
    const stale =
      options.now - Date.parse(review.createdAt) >
      options.reviewMaxAgeDays * DAY_MS;
    reviewPart = {
      score: review.score,
      counted: stale ? review.score / 2 : review.score,
      reviewedAt: review.createdAt,
      stale,
    };
    if (stale) {
      next.push(
        `Review it again: the latest Review is older than ${options.reviewMaxAgeDays} days and counts half.`,
      );
    }
  }
  const score =
    ((standardsPart.score ?? 0) + completeness.score + reviewPart.counted) / 3;
  return {
    score,
    grade: gradeOf(score, options.grades),
    parts: { standards: standardsPart, completeness, review: reviewPart },
    next,
  };
}
