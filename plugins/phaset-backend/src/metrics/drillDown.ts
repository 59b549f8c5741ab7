import type { PhasetApi } from '@internal/backstage-plugin-phaset-common';
import type { DoraChangeFact, DoraIncidentFact } from './doraFacts';
import { isRework, MetricsFacts, Window } from './computeMetrics';
import { summaryOf } from './statistics';

/*
 * The facts behind each number of /metrics/{recordId}: the lists a person
 * opens from a tile, built by the same definitions (docs/metrics.md), so
 * that a list's items add up to its figure for the same window. Inputs are
 * epoch milliseconds; items carry ISO 8601 times and seconds.
 */

/** One stored production deployment event (a delivery may hold several commits). */
export type DeploymentEventFact = {
  rawEventId: string;
  at: number;
  commitSha?: string;
  source: string;
  deliveryId?: string;
  deploymentId?: string;
  environment?: string;
  url?: string;
};

/** The items of the lists, as the contract (openapi.yaml) defines them. */
export type DeploymentItem = PhasetApi.DeploymentItem;
export type ChangeItem = PhasetApi.ChangeItem;
export type IncidentItem = PhasetApi.IncidentItem;
export type PullRequestItem = PhasetApi.PullRequestItem;

/** Where each listed thing is seen in its tool, looked up for one page. */
export type SourceLink = { source: string; url?: string };

const iso = (at: number) => new Date(at).toISOString();
const inWindow = (w: Window, at: number | undefined): at is number =>
  at !== undefined && at >= w.from && at < w.to;
const secondsBetween = (from: number, to: number) =>
  Math.max(0, to - from) / 1000;

/**
 * The window's deployments, as deploymentFrequency counts them: the events of
 * one delivery at one instant are one deployment. An incident links to, and a
 * change is shipped by, an instant; when several deliveries share one (the
 * same millisecond), the last by delivery id takes them, so that failed
 * deployments add up to the change failure rate's count.
 */
export function deploymentItems(
  events: DeploymentEventFact[],
  changes: DoraChangeFact[],
  incidents: DoraIncidentFact[],
  w: Window,
): Array<DeploymentItem & { sortKey: [number, number, string] }> {
  const byDelivery = new Map<string, DeploymentEventFact[]>();
  for (const e of events) {
    if (!inWindow(w, e.at)) continue;
    const key = `${e.rawEventId}\u0000${e.at}`;
    const list = byDelivery.get(key);
    if (list) list.push(e);
    else byDelivery.set(key, [e]);
  }
  const lastAtInstant = new Map<number, string>();
  for (const [first] of byDelivery.values()) {
    const seen = lastAtInstant.get(first.at);
    if (seen === undefined || first.rawEventId > seen) {
      lastAtInstant.set(first.at, first.rawEventId);
    }
  }
  const leadTimesAt = new Map<number, number[]>();
  for (const c of changes) {
    if (!inWindow(w, c.deployedAt)) continue;
    const list = leadTimesAt.get(c.deployedAt) ?? [];
    list.push(secondsBetween(c.changedAt, c.deployedAt));
    leadTimesAt.set(c.deployedAt, list);
  }
  const incidentsAt = new Map<number, DoraIncidentFact[]>();
  for (const i of incidents) {
    if (!inWindow(w, i.linkedAt)) continue;
    const list = incidentsAt.get(i.linkedAt) ?? [];
    list.push(i);
    incidentsAt.set(i.linkedAt, list);
  }
  return [...byDelivery.values()].map(list => {
    const [first] = list;
    const takes = lastAtInstant.get(first.at) === first.rawEventId;
    const leadTimes = takes ? leadTimesAt.get(first.at) ?? [] : [];
    const linked = takes ? incidentsAt.get(first.at) ?? [] : [];
    const failed = linked.length > 0;
    return {
      deployedAt: iso(first.at),
      rawEventId: first.rawEventId,
      source: first.source,
      deliveryId: first.deliveryId,
      deploymentId: list.find(e => e.deploymentId)?.deploymentId,
      environment: first.environment,
      commitShas: [
        ...new Set(list.flatMap(e => (e.commitSha ? [e.commitSha] : []))),
      ],
      url: list.find(e => e.url)?.url,
      changes: {
        count: leadTimes.length,
        leadTimeMedianSeconds: summaryOf(leadTimes)?.median ?? null,
      },
      failed,
      incidents: linked
        .sort((a, b) => a.openedAt - b.openedAt)
        .map(i => ({ id: i.id, openedAt: iso(i.openedAt) })),
      rework: isRework(first.at, incidents),
      // Failed ones first, then the latest.
      sortKey: [failed ? 0 : 1, -first.at, first.rawEventId],
    };
  });
}

/**
 * The changes lead time counts (deployed in the window) and the window's
 * changes not deployed by its end, the slowest first.
 */
export function changeItems(
  changes: DoraChangeFact[],
  w: Window,
  now: number,
): Array<ChangeItem & { sortKey: [number, string] }> {
  const end = Math.min(now, w.to);
  const items: Array<ChangeItem & { sortKey: [number, string] }> = [];
  for (const c of changes) {
    const base = { commitSha: c.commitSha, changedAt: iso(c.changedAt) };
    if (inWindow(w, c.deployedAt)) {
      const leadTimeSeconds = secondsBetween(c.changedAt, c.deployedAt);
      items.push({
        ...base,
        state: 'deployed',
        deployedAt: iso(c.deployedAt),
        leadTimeSeconds,
        sortKey: [-leadTimeSeconds, c.commitSha],
      });
    } else if (
      inWindow(w, c.changedAt) &&
      (c.deployedAt === undefined || c.deployedAt >= w.to)
    ) {
      const waitingSeconds = secondsBetween(c.changedAt, end);
      items.push({
        ...base,
        state: 'pending',
        ...(c.deployedAt !== undefined && { deployedAt: iso(c.deployedAt) }),
        waitingSeconds,
        sortKey: [-waitingSeconds, c.commitSha],
      });
    }
  }
  return items;
}

/**
 * The incidents time to restore counts (resolved in the window) and those
 * open at its end, the longest first.
 */
export function incidentItems(
  incidents: DoraIncidentFact[],
  w: Window,
  now: number,
): Array<IncidentItem & { sortKey: [number, string] }> {
  const end = Math.min(now, w.to);
  const items: Array<IncidentItem & { sortKey: [number, string] }> = [];
  for (const i of incidents) {
    const resolved = inWindow(w, i.resolvedAt);
    const open =
      !resolved &&
      i.openedAt < w.to &&
      (i.resolvedAt === undefined || i.resolvedAt >= w.to);
    if (!resolved && !open) continue;
    const base: IncidentItem = {
      id: i.id,
      source: i.key.slice(0, i.key.indexOf(':')),
      openedAt: iso(i.openedAt),
      ...(i.resolvedAt !== undefined && { resolvedAt: iso(i.resolvedAt) }),
      state: resolved ? 'resolved' : 'open',
      ...(i.linkedAt !== undefined && { linkedDeploymentAt: iso(i.linkedAt) }),
    };
    if (resolved) {
      const restoreSeconds = (i.resolvedAt! - i.openedAt) / 1000;
      items.push({
        ...base,
        restoreSeconds,
        ...(i.linkedAt !== undefined && {
          recoverySeconds: (i.resolvedAt! - i.linkedAt) / 1000,
        }),
        sortKey: [-restoreSeconds, i.key],
      });
    } else {
      const ageSeconds = (end - i.openedAt) / 1000;
      items.push({ ...base, ageSeconds, sortKey: [-ageSeconds, i.key] });
    }
  }
  return items;
}

/**
 * The pull requests with a time in the window (opened, created, merged,
 * closed or first reviewed there), by computeEngineering's definitions, the
 * longest open first.
 */
export function pullRequestItems(
  facts: MetricsFacts,
  w: Window,
  now: number,
): Array<PullRequestItem & { sortKey: [number, string] }> {
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
  const prs = new Map(facts.pullRequests.map(pr => [pr.id, pr]));
  for (const id of firstReview.keys()) {
    if (!prs.has(id)) prs.set(id, { id });
  }
  const end = Math.min(now, w.to);
  const items: Array<PullRequestItem & { sortKey: [number, string] }> = [];
  for (const pr of prs.values()) {
    const review = firstReview.get(pr.id);
    const created = pr.createdAt ?? pr.openedAt ?? review?.prCreatedAt;
    const opened = pr.openedAt ?? pr.createdAt;
    const times = [opened, pr.mergedAt, pr.closedAt, review?.at];
    if (!times.some(t => inWindow(w, t))) continue;
    const separator = pr.id.indexOf(':');
    const openFor =
      created === undefined
        ? 0
        : secondsBetween(created, pr.mergedAt ?? pr.closedAt ?? end);
    items.push({
      id: pr.id,
      ...(separator > 0 && {
        source: pr.id.slice(0, separator),
        prId: pr.id.slice(separator + 1),
      }),
      ...(created !== undefined && { createdAt: iso(created) }),
      ...(opened !== undefined && { openedAt: iso(opened) }),
      ...(review && { firstReviewAt: iso(review.at) }),
      ...(pr.mergedAt !== undefined && { mergedAt: iso(pr.mergedAt) }),
      ...(pr.closedAt !== undefined && { closedAt: iso(pr.closedAt) }),
      ...(pr.mergedAt !== undefined &&
        pr.createdAt !== undefined && {
          mergeSeconds: secondsBetween(pr.createdAt, pr.mergedAt),
        }),
      ...(review &&
        created !== undefined && {
          reviewSeconds: secondsBetween(created, review.at),
        }),
      additions: pr.additions,
      deletions: pr.deletions,
      changedFiles: pr.changedFiles,
      sortKey: [-openFor, pr.id],
    });
  }
  return items;
}
