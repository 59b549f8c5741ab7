import { DoraSamples, isRework, MetricsFacts, Window } from './computeMetrics';
import { lowerBound } from './statistics';

/*
 * The DORA facts kept at ingestion (tables phaset_dora_*): what doraSamples
 * derives from a Record's whole history, stored per deployment instant,
 * commit and incident so that a window reads only its own rows. Times are
 * epoch milliseconds.
 */

export type DoraDeploymentFact = {
  at: number;
  /** Deliveries that deployed successfully to production at this instant. */
  count: number;
};

export type DoraChangeFact = {
  commitSha: string;
  /** The commit's earliest change. */
  changedAt: number;
  /**
   * The first deployment at or after the change, or an earlier one of the
   * same commit (clock skew); undefined while not deployed.
   */
  deployedAt?: number;
};

export type DoraIncidentFact = {
  /** `source:incident id`, the identity of an incident within a Record. */
  key: string;
  id: string;
  openedAt: number;
  resolvedAt?: number;
  /** The latest deployment at or before the opening, if any. */
  linkedAt?: number;
};

export type DoraFacts = {
  /** Whether the Record has any successful production deployment, any time. */
  everDeployed: boolean;
  /** The latest deployment before the window's end, in or before the window. */
  lastDeploymentAt?: number;
  deployments: DoraDeploymentFact[];
  changes: DoraChangeFact[];
  incidents: DoraIncidentFact[];
};

export type KeyedIncident = MetricsFacts['incidents'][number] & { key: string };

/**
 * A Record's DORA facts from its whole history, by the definitions doraSamples
 * applies: what a rebuild stores, and what ingestion keeps them equal to.
 */
export function doraFactsOf(history: {
  deployments: MetricsFacts['deployments'];
  changes: MetricsFacts['changes'];
  incidents: KeyedIncident[];
}): DoraFacts {
  const deployments = [...history.deployments].sort((a, b) => a.at - b.at);
  const deployTimes = deployments.map(d => d.at);
  const counts = new Map<number, number>();
  for (const at of deployTimes) counts.set(at, (counts.get(at) ?? 0) + 1);

  const firstBySha = new Map<string, number>();
  for (const d of deployments) {
    for (const sha of d.commitShas) {
      if (!firstBySha.has(sha)) firstBySha.set(sha, d.at);
    }
  }
  const earliestChange = new Map<string, number>();
  for (const c of history.changes) {
    const seen = earliestChange.get(c.commitSha);
    if (seen === undefined || c.at < seen)
      earliestChange.set(c.commitSha, c.at);
  }
  const changes = [...earliestChange].map(([commitSha, changedAt]) => {
    const next = deployTimes[lowerBound(deployTimes, changedAt)];
    const same = firstBySha.get(commitSha);
    const deployedAt =
      same !== undefined && (next === undefined || same < next) ? same : next;
    return { commitSha, changedAt, deployedAt };
  });

  const incidents = history.incidents.map(incident => ({
    key: incident.key,
    id: incident.id,
    openedAt: incident.openedAt,
    resolvedAt: incident.resolvedAt,
    linkedAt: deployTimes[lowerBound(deployTimes, incident.openedAt + 1) - 1],
  }));

  return {
    everDeployed: deployments.length > 0,
    deployments: [...counts].map(([at, count]) => ({ at, count })),
    changes,
    incidents,
  };
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

const inWindow = (w: Window, at: number | undefined): at is number =>
  at !== undefined && at >= w.from && at < w.to;

/**
 * The samples doraSamples gives for the window `w`, from facts that hold at
 * least the window's rows: deployments in it, changes deployed in it, and
 * incidents linked, resolved or open in it.
 */
export function samplesFromDoraFacts(facts: DoraFacts, w: Window): DoraSamples {
  const weekCount = Math.max(1, Math.ceil((w.to - w.from) / WEEK_MS));
  const deploymentDaysByWeek: number[][] = Array.from(
    { length: weekCount },
    () => [],
  );
  let deployments = 0;
  let reworkDeployments = 0;
  for (const d of [...facts.deployments].sort((a, b) => a.at - b.at)) {
    if (!inWindow(w, d.at)) continue;
    deployments += d.count;
    if (isRework(d.at, facts.incidents)) reworkDeployments += d.count;
    const days = deploymentDaysByWeek[Math.floor((d.at - w.from) / WEEK_MS)];
    const day = Math.floor(d.at / DAY_MS);
    if (!days.includes(day)) days.push(day);
  }

  const leadTimes = facts.changes
    .filter(c => inWindow(w, c.deployedAt))
    .map(c => Math.max(0, c.deployedAt! - c.changedAt) / 1000);

  const resolvedInWindow = facts.incidents.filter(i =>
    inWindow(w, i.resolvedAt),
  );
  return {
    window: w,
    everDeployed: facts.everDeployed,
    deployments,
    failedDeployments: new Set(
      facts.incidents.filter(i => inWindow(w, i.linkedAt)).map(i => i.linkedAt),
    ).size,
    reworkDeployments,
    deploymentDaysByWeek,
    leadTimes,
    recoveryTimes: resolvedInWindow
      .filter(i => i.linkedAt !== undefined)
      .map(i => (i.resolvedAt! - i.linkedAt!) / 1000),
    restoreTimes: resolvedInWindow.map(
      i => (i.resolvedAt! - i.openedAt) / 1000,
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
