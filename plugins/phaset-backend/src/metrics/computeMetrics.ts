import {
  CountOrMissing,
  DEFAULT_DORA_TIERS,
  DoraMetrics,
  DoraTier,
  DoraTierThresholds,
  DurationMetric,
  EngineeringMetrics,
  MetricsWindow,
} from '@internal/backstage-plugin-phaset-common';
import { lowerBound, summarize, summaryOf, Summary } from './statistics';

/*
 * The reference definitions of docs/metrics.md, over one Record's normalised
 * facts. Times are epoch milliseconds; results are in seconds.
 */

export type MetricsFacts = {
  /**
   * Successful deployments to a production environment, any time. One
   * deployment may ship several commits (DevLake's multi-repo deployments).
   */
  deployments: Array<{ at: number; commitShas: string[] }>;
  changes: Array<{ at: number; commitSha: string }>;
  incidents: Array<{ id: string; openedAt: number; resolvedAt?: number }>;
  pullRequests: Array<{
    id: string;
    openedAt?: number;
    createdAt?: number;
    mergedAt?: number;
    closedAt?: number;
    additions?: number;
    deletions?: number;
    changedFiles?: number;
  }>;
  reviews: Array<{
    prId?: string;
    verdict: 'approved' | 'changes';
    submittedAt: number;
    prCreatedAt?: number;
  }>;
  comments: Array<{ at: number }>;
};

/** Half-open window [from, to) in epoch milliseconds. */
export type Window = { from: number; to: number };

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

const inWindow = (w: Window, at: number | undefined): at is number =>
  at !== undefined && at >= w.from && at < w.to;

function durationMetric(
  stats: Summary | null,
  reason: string,
  tier: (median: number) => DoraTier | null = () => null,
): DurationMetric {
  if (stats === null) {
    return { value: null, reason, count: 0, tier: null };
  }
  return { unit: 'seconds', ...stats, tier: tier(stats.median) };
}

/** First tier whose threshold `passes`, else low. */
function tierBy(
  passes: (threshold: number) => boolean,
  thresholds: number[],
): DoraTier {
  const tiers: DoraTier[] = ['elite', 'high', 'medium'];
  const index = thresholds.findIndex(passes);
  return index === -1 ? 'low' : tiers[index];
}

export function windowOf(w: Window): MetricsWindow {
  return {
    from: new Date(w.from).toISOString(),
    to: new Date(w.to).toISOString(),
    days: (w.to - w.from) / DAY_MS,
  };
}

function utcDay(at: number): number {
  return Math.floor(at / DAY_MS);
}

/** The samples DORA metrics summarise; samples of several Records can be pooled. */
export type DoraSamples = {
  window: Window;
  /** Whether any successful production deployment exists, in or out of the window. */
  everDeployed: boolean;
  deployments: number;
  failedDeployments: number;
  /** Deployments made while an incident of their Record was open (rework). */
  reworkDeployments: number;
  /** Per 7-day bucket of the window: the UTC days with a deployment. */
  deploymentDaysByWeek: number[][];
  leadTimes: number[];
  recoveryTimes: number[];
  restoreTimes: number[];
  open: Array<{ id: string; openedAt: number }>;
};

/**
 * Whether a deployment at `at` is rework: made while an incident of its
 * Record was open, after its opening and up to its resolution (a fix that
 * resolves the incident as it deploys counts).
 */
export function isRework(
  at: number,
  incidents: ReadonlyArray<{ openedAt: number; resolvedAt?: number }>,
): boolean {
  return incidents.some(
    i => i.openedAt < at && (i.resolvedAt === undefined || at <= i.resolvedAt),
  );
}

export function doraSamples(facts: MetricsFacts, w: Window): DoraSamples {
  const deployments = [...facts.deployments].sort((a, b) => a.at - b.at);
  const deployTimes = deployments.map(d => d.at);
  const windowDeployments = deployments.filter(d => inWindow(w, d.at));

  // Weeks are 7-day buckets from `from`, the last one possibly shorter; a
  // deployment day is a UTC calendar date.
  const weekCount = Math.max(1, Math.ceil((w.to - w.from) / WEEK_MS));
  const deploymentDaysByWeek: number[][] = Array.from(
    { length: weekCount },
    () => [],
  );
  for (const d of windowDeployments) {
    const days = deploymentDaysByWeek[Math.floor((d.at - w.from) / WEEK_MS)];
    if (!days.includes(utcDay(d.at))) days.push(utcDay(d.at));
  }

  // Lead time: a change is deployed by the first deployment at or after it,
  // or earlier by one of the same commit (a clock-skewed change timestamp).
  const firstBySha = new Map<string, number>();
  for (const d of deployments) {
    for (const sha of d.commitShas) {
      if (!firstBySha.has(sha)) firstBySha.set(sha, d.at);
    }
  }
  const earliestChange = new Map<string, number>();
  for (const c of facts.changes) {
    const seen = earliestChange.get(c.commitSha);
    if (seen === undefined || c.at < seen)
      earliestChange.set(c.commitSha, c.at);
  }
  const leadTimes: number[] = [];
  for (const [sha, at] of earliestChange) {
    const next = deployTimes[lowerBound(deployTimes, at)];
    const same = firstBySha.get(sha);
    const deployedAt =
      same !== undefined && (next === undefined || same < next) ? same : next;
    if (deployedAt !== undefined && inWindow(w, deployedAt)) {
      leadTimes.push(Math.max(0, deployedAt - at) / 1000);
    }
  }

  // Incidents link to the latest deployment at or before their opening.
  const linked = facts.incidents.map(incident => {
    const index = lowerBound(deployTimes, incident.openedAt + 1) - 1;
    return {
      incident,
      index,
      deployedAt: deployTimes[index] as number | undefined,
    };
  });
  const resolvedInWindow = linked.filter(l =>
    inWindow(w, l.incident.resolvedAt),
  );

  return {
    window: w,
    everDeployed: deployments.length > 0,
    deployments: windowDeployments.length,
    failedDeployments: new Set(
      linked.filter(l => inWindow(w, l.deployedAt)).map(l => l.index),
    ).size,
    reworkDeployments: windowDeployments.filter(d =>
      isRework(d.at, facts.incidents),
    ).length,
    deploymentDaysByWeek,
    leadTimes,
    recoveryTimes: resolvedInWindow
      .filter(l => l.deployedAt !== undefined)
      .map(l => (l.incident.resolvedAt! - l.deployedAt!) / 1000),
    restoreTimes: resolvedInWindow.map(
      l => (l.incident.resolvedAt! - l.incident.openedAt) / 1000,
    ),
    open: facts.incidents
      .filter(
        i =>
          i.openedAt < w.to &&
          (i.resolvedAt === undefined || i.resolvedAt >= w.to),
      )
      .map(i => ({ id: i.id, openedAt: i.openedAt })),
  };
}

/** Pools the samples of several Records over the same window. */
export function poolDoraSamples(all: DoraSamples[], w: Window): DoraSamples {
  const weekCount = Math.max(1, Math.ceil((w.to - w.from) / WEEK_MS));
  return {
    window: w,
    everDeployed: all.some(s => s.everDeployed),
    deployments: all.reduce((n, s) => n + s.deployments, 0),
    failedDeployments: all.reduce((n, s) => n + s.failedDeployments, 0),
    reworkDeployments: all.reduce((n, s) => n + s.reworkDeployments, 0),
    deploymentDaysByWeek: Array.from({ length: weekCount }, (_, week) => [
      ...new Set(all.flatMap(s => s.deploymentDaysByWeek[week] ?? [])),
    ]),
    leadTimes: all.flatMap(s => s.leadTimes),
    recoveryTimes: all.flatMap(s => s.recoveryTimes),
    restoreTimes: all.flatMap(s => s.restoreTimes),
    open: all.flatMap(s => s.open),
  };
}

/**
 * The DORA metrics of the samples. `leadTime` is the summary of their lead
 * times, when it was computed elsewhere (the roll-up's, in PostgreSQL).
 */
export function summarizeDora(
  samples: DoraSamples,
  now: number,
  tiers: DoraTierThresholds = DEFAULT_DORA_TIERS,
  leadTime: Summary | null = summaryOf(samples.leadTimes),
): DoraMetrics {
  const w = samples.window;
  const days = (w.to - w.from) / DAY_MS;
  const { deployments, failedDeployments: failed, reworkDeployments } = samples;
  const medianDays = summarize(
    samples.deploymentDaysByWeek.map(d => d.length),
  ).median;
  const deploymentDays = samples.deploymentDaysByWeek.reduce(
    (n, d) => n + d.length,
    0,
  );
  const deploymentDaysPerMonth = deploymentDays / (days / 30);
  let dfTier: DoraTier | null = null;
  if (samples.everDeployed) {
    const [elite, high] = tiers.deploymentDaysPerWeek;
    if (medianDays >= elite) dfTier = 'elite';
    else if (medianDays >= high) dfTier = 'high';
    else if (deploymentDaysPerMonth >= tiers.deploymentDaysPerMonth)
      dfTier = 'medium';
    else dfTier = 'low';
  }
  const recoveryTier = (median: number) =>
    tierBy(t => median < t, tiers.recoverySeconds);

  return {
    deploymentFrequency: {
      deployments,
      perDay: deployments / days,
      perWeek: deployments / (days / 7),
      medianDeploymentDaysPerWeek: medianDays,
      deploymentDaysPerMonth,
      tier: dfTier,
    },
    leadTimeForChanges: durationMetric(
      leadTime,
      'no change was deployed in the window',
      median => tierBy(t => median < t, tiers.leadTimeSeconds),
    ),
    changeFailureRate:
      deployments === 0
        ? {
            value: null,
            reason: 'no deployments in the window',
            deployments: 0,
            tier: null,
          }
        : {
            value: failed / deployments,
            failedDeployments: failed,
            deployments,
            tier: tierBy(
              t => failed / deployments <= t,
              tiers.changeFailureRate,
            ),
          },
    reworkRate:
      deployments === 0
        ? {
            value: null,
            reason: 'no deployments in the window',
            deployments: 0,
          }
        : {
            value: reworkDeployments / deployments,
            reworkDeployments,
            deployments,
          },
    failedDeploymentRecoveryTime: durationMetric(
      summaryOf(samples.recoveryTimes),
      'no incident linked to a deployment was resolved in the window',
      recoveryTier,
    ),
    timeToRestore: {
      ...durationMetric(
        summaryOf(samples.restoreTimes),
        'no incident was resolved in the window',
        recoveryTier,
      ),
      open: [...samples.open]
        .sort((a, b) => a.openedAt - b.openedAt)
        .map(i => ({
          id: i.id,
          openedAt: new Date(i.openedAt).toISOString(),
          ageSeconds: (Math.min(now, w.to) - i.openedAt) / 1000,
        })),
    },
  };
}

export function computeDora(
  facts: MetricsFacts,
  w: Window,
  now: number,
  tiers: DoraTierThresholds = DEFAULT_DORA_TIERS,
): DoraMetrics {
  return summarizeDora(doraSamples(facts, w), now, tiers);
}

function sumOrMissing(
  values: Array<number | undefined>,
  what: string,
): CountOrMissing {
  const known = values.filter((v): v is number => v !== undefined);
  if (values.length === 0) {
    return { value: null, reason: 'no pull request was opened in the window' };
  }
  if (known.length === 0) {
    return { value: null, reason: `no opened pull request reports ${what}` };
  }
  return known.reduce((total, v) => total + v, 0);
}

export function computeEngineering(
  facts: MetricsFacts,
  w: Window,
): EngineeringMetrics {
  const opened = facts.pullRequests.filter(pr =>
    inWindow(w, pr.openedAt ?? pr.createdAt),
  );
  const merged = facts.pullRequests.filter(pr => inWindow(w, pr.mergedAt));
  const changes = new Set(
    facts.changes.filter(c => inWindow(w, c.at)).map(c => c.commitSha),
  );

  const createdByPr = new Map(
    facts.pullRequests.map(pr => [pr.id, pr.createdAt ?? pr.openedAt]),
  );
  const firstReview = new Map<string, { at: number; prCreatedAt?: number }>();
  for (const review of facts.reviews) {
    if (!review.prId) continue;
    const seen = firstReview.get(review.prId);
    if (!seen || review.submittedAt < seen.at) {
      firstReview.set(review.prId, {
        at: review.submittedAt,
        prCreatedAt: review.prCreatedAt,
      });
    }
  }
  const reviewTimes: number[] = [];
  for (const [prId, review] of firstReview) {
    const created = createdByPr.get(prId) ?? review.prCreatedAt;
    if (created !== undefined && inWindow(w, review.at)) {
      reviewTimes.push(Math.max(0, review.at - created) / 1000);
    }
  }

  const sizes = opened
    .filter(pr => pr.additions !== undefined && pr.deletions !== undefined)
    .map(pr => pr.additions! + pr.deletions!);

  return {
    changes: changes.size,
    pullRequestsOpened: opened.length,
    pullRequestsMerged: merged.length,
    pullRequestsClosed: facts.pullRequests.filter(pr =>
      inWindow(w, pr.closedAt),
    ).length,
    reviewsApproved: facts.reviews.filter(
      r => r.verdict === 'approved' && inWindow(w, r.submittedAt),
    ).length,
    reviewsChangesRequested: facts.reviews.filter(
      r => r.verdict === 'changes' && inWindow(w, r.submittedAt),
    ).length,
    comments: facts.comments.filter(c => inWindow(w, c.at)).length,
    additions: sumOrMissing(
      opened.map(pr => pr.additions),
      'additions',
    ),
    deletions: sumOrMissing(
      opened.map(pr => pr.deletions),
      'deletions',
    ),
    changedFiles: sumOrMissing(
      opened.map(pr => pr.changedFiles),
      'changed files',
    ),
    mergeTime: durationMetric(
      summaryOf(
        merged
          .filter(pr => pr.createdAt !== undefined)
          .map(pr => Math.max(0, pr.mergedAt! - pr.createdAt!) / 1000),
      ),
      'no pull request with a known creation time was merged in the window',
    ),
    reviewTime: durationMetric(
      summaryOf(reviewTimes),
      'no pull request got its first review in the window',
    ),
    reviewSize:
      sizes.length === 0
        ? {
            value: null,
            reason: 'no pull request opened in the window reports its size',
            count: 0,
          }
        : { unit: 'lines', ...summarize(sizes) },
  };
}
