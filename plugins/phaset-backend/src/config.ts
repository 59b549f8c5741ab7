import { Config } from '@backstage/config';
import {
  DEFAULT_DORA_TIERS,
  DEFAULT_GRADE_THRESHOLDS,
  DEFAULT_TELEMETRY_WINDOW_DAYS,
  DEFAULT_REVIEW_QUESTIONS,
  GradeThresholds,
  REVIEW_AREAS,
  ReviewQuestion,
  DoraTierThresholds,
  PhasetBaseline,
  isValidRecordId,
  StandardLintCheck,
} from '@internal/backstage-plugin-phaset-common';

export type OrganizationConfig = {
  id: string;
  name: string;
  defaultBaselineId: string;
};

export type RecordConfig = {
  id: string;
  organizationId: string;
  entityRef?: string;
  tokens: Array<{ name: string; token: string }>;
  /** Deployments to these environments count towards DORA (case-insensitive). */
  productionEnvironments?: string[];
  /** Issues with this label are incidents (adapter default: `incident`). */
  incidentLabel?: string;
};

export type PhasetConfig = {
  organizations: Map<string, OrganizationConfig>;
  records: RecordConfig[];
  baselines: Map<string, PhasetBaseline>;
  tiers: DoraTierThresholds;
  health: HealthConfig;
};

/** `phaset.health`: the Review template, the grades and a Review's age limit. */
export type HealthConfig = {
  questions: ReviewQuestion[];
  grades: GradeThresholds;
  /** A Review older than this counts half. */
  reviewMaxAgeDays: number;
  /** The days, up to now, whose telemetry counts for completeness. */
  telemetryWindowDays: number;
};

const DEFAULT_REVIEW_MAX_AGE_DAYS = 180;

/** `phaset.health`, each key defaulting to Phaset's own. */
export function readHealth(config: Config | undefined): HealthConfig {
  const questionsConfig = config?.getOptionalConfigArray('review.questions');
  const questions = questionsConfig
    ? questionsConfig.map((q, i) => {
        const area = q.getString('area');
        if (!(REVIEW_AREAS as readonly string[]).includes(area)) {
          throw new Error(
            `phaset.health.review.questions[${i}].area must be one of ${REVIEW_AREAS.join(
              ', ',
            )}`,
          );
        }
        return {
          id: q.getString('id'),
          area: area as ReviewQuestion['area'],
          text: q.getString('text'),
        };
      })
    : DEFAULT_REVIEW_QUESTIONS;
  if (new Set(questions.map(q => q.id)).size !== questions.length) {
    throw new Error('phaset.health.review.questions: ids must be unique');
  }
  const gradesConfig = config?.getOptionalConfig('grades');
  const grades = { ...DEFAULT_GRADE_THRESHOLDS };
  for (const grade of Object.keys(grades) as Array<keyof GradeThresholds>) {
    grades[grade] = gradesConfig?.getOptionalNumber(grade) ?? grades[grade];
  }
  const order = Object.values(grades);
  if (order.some((value, i) => i > 0 && value > order[i - 1])) {
    throw new Error('phaset.health.grades: A, B, C, D and E must not increase');
  }
  const reviewMaxAgeDays =
    config?.getOptionalNumber('reviewMaxAgeDays') ??
    DEFAULT_REVIEW_MAX_AGE_DAYS;
  if (!(reviewMaxAgeDays > 0)) {
    throw new Error('phaset.health.reviewMaxAgeDays must be positive');
  }
  const telemetryWindowDays =
    config?.getOptionalNumber('telemetryWindowDays') ??
    DEFAULT_TELEMETRY_WINDOW_DAYS;
  if (!(telemetryWindowDays > 0)) {
    throw new Error('phaset.health.telemetryWindowDays must be positive');
  }
  return { questions, grades, reviewMaxAgeDays, telemetryWindowDays };
}

/** StandardLint 1.0.3's checks, used when app-config defines no Baseline. */
export const BUILT_IN_BASELINE: PhasetBaseline = {
  id: 'default',
  name: 'Phaset default Baseline',
  config: {
    defaultSeverity: 'error',
    checks: [
      'checkForPresenceChangelog',
      'checkForPresenceCiConfig',
      'checkForPresenceCodeowners',
      'checkForPresenceContributing',
      'checkForPresenceLicense',
      'checkForPresenceReadme',
      'checkForPresenceSecurity',
      'checkForConflictingLockfiles',
    ],
  },
};

function readBaseline(config: Config): PhasetBaseline {
  const disabledChecks: string[] = [];
  const checks: StandardLintCheck[] = config
    .getConfigArray('checks')
    .flatMap(check => {
      const severity = check.getString('severity');
      if (!['error', 'warn', 'disabled'].includes(severity)) {
        throw new Error(
          `phaset.baselines: check severity must be error, warn or disabled, got '${severity}'`,
        );
      }
      if (severity === 'disabled') {
        disabledChecks.push(check.getString('name'));
        return [];
      }
      const path = check.getOptionalString('path');
      return [
        {
          name: check.getString('name'),
          severity: severity as 'error' | 'warn',
          ...(path ? { path } : {}),
        },
      ];
    });
  const defaultSeverity = config.getOptionalString('defaultSeverity') as
    | 'error'
    | 'warn'
    | undefined;
  const basePath = config.getOptionalString('basePath');
  const ignorePaths = config.getOptionalStringArray('ignorePaths');
  return {
    id: config.getString('id'),
    name: config.getString('name'),
    config: {
      checks,
      ...(defaultSeverity ? { defaultSeverity } : {}),
      ...(basePath ? { basePath } : {}),
      ...(ignorePaths ? { ignorePaths } : {}),
    },
    ...(disabledChecks.length ? { disabledChecks } : {}),
  };
}

/** `phaset.metrics.tiers`, each key defaulting to the DORA 2023 clusters. */
function readTiers(config: Config | undefined): DoraTierThresholds {
  const numbers = (key: keyof DoraTierThresholds, length: number) => {
    const values = config?.getOptional<number[]>(key);
    if (values === undefined) {
      return DEFAULT_DORA_TIERS[key];
    }
    if (
      !Array.isArray(values) ||
      values.length !== length ||
      values.some(v => typeof v !== 'number')
    ) {
      throw new Error(`phaset.metrics.tiers.${key} must be ${length} numbers`);
    }
    return values;
  };
  return {
    leadTimeSeconds: numbers('leadTimeSeconds', 3) as [number, number, number],
    changeFailureRate: numbers('changeFailureRate', 3) as [
      number,
      number,
      number,
    ],
    recoverySeconds: numbers('recoverySeconds', 3) as [number, number, number],
    deploymentDaysPerWeek: numbers('deploymentDaysPerWeek', 2) as [
      number,
      number,
    ],
    deploymentDaysPerMonth:
      config?.getOptionalNumber('deploymentDaysPerMonth') ??
      DEFAULT_DORA_TIERS.deploymentDaysPerMonth,
  };
}

/** Reads and cross-checks `phaset.*`; misconfiguration fails start-up. */
export function readPhasetConfig(root: Config): PhasetConfig {
  const config = root.getOptionalConfig('phaset');

  const baselines = new Map<string, PhasetBaseline>();
  for (const baseline of (
    config?.getOptionalConfigArray('baselines') ?? []
  ).map(readBaseline)) {
    baselines.set(baseline.id, baseline);
  }
  const globalDefault =
    config?.getOptionalString('defaultBaseline') ?? 'default';
  if (!baselines.has(globalDefault)) {
    if (config?.has('defaultBaseline')) {
      throw new Error(
        `phaset.defaultBaseline '${globalDefault}' is not a configured Baseline`,
      );
    }
    baselines.set(globalDefault, { ...BUILT_IN_BASELINE, id: globalDefault });
  }

  const organizations = new Map<string, OrganizationConfig>();
  for (const org of config?.getOptionalConfigArray('organizations') ?? []) {
    const id = org.getString('id');
    const defaultBaselineId =
      org.getOptionalString('defaultBaseline') ?? globalDefault;
    if (!baselines.has(defaultBaselineId)) {
      throw new Error(
        `phaset.organizations '${id}': defaultBaseline '${defaultBaselineId}' is not a configured Baseline`,
      );
    }
    organizations.set(id, {
      id,
      name: org.getOptionalString('name') ?? id,
      defaultBaselineId,
    });
  }

  const records = (config?.getOptionalConfigArray('records') ?? []).map(
    record => {
      const id = record.getString('id');
      const organizationId = record.getString('organization');
      if (!isValidRecordId(id)) {
        throw new Error(
          `phaset.records: id '${id}' must be 10 characters [A-Za-z0-9]`,
        );
      }
      if (!organizations.has(organizationId)) {
        throw new Error(
          `phaset.records '${id}': organization '${organizationId}' is not in phaset.organizations`,
        );
      }
      return {
        id,
        organizationId,
        entityRef: record.getOptionalString('entityRef'),
        tokens: (record.getOptionalConfigArray('tokens') ?? []).map(token => ({
          name: token.getString('name'),
          token: token.getString('token'),
        })),
        productionEnvironments: record.getOptionalStringArray(
          'productionEnvironments',
        ),
        incidentLabel: record.getOptionalString('incidentLabel'),
      };
    },
  );

  return {
    organizations,
    records,
    baselines,
    tiers: readTiers(config?.getOptionalConfig('metrics.tiers')),
    health: readHealth(config?.getOptionalConfig('health')),
  };
}
