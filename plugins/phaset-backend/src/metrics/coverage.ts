import type { DoraChangeFact, DoraIncidentFact } from './doraFacts';
import type { DeploymentEventFact } from './drillDown';
import type { Window } from './computeMetrics';

/** How much of a window's telemetry the metrics can use, and why not the rest. */
export type TelemetryCoverage = {
  /** Production deployments, and those naming the commit they shipped. */
  deployments: { total: number; withCommit: number };
  /** Changes (commits) of the window, and those a deployment has shipped. */
  changes: { total: number; deployed: number };
  /** Incidents opened in the window, and those linked to a deployment. */
  incidents: { total: number; linked: number };
  webhooks: Array<{
    source: string;
    lastDeliveryAt?: string;
    deliveriesAccepted: number;
    deliveriesRejected: number;
  }>;
  /** What to look at, worst first; empty when nothing is missing. */
  hints: string[];
};

const DAY_MS = 86_400_000;
/** A webhook silent for longer than this is probably mis-wired. */
const SILENT_DAYS = 14;

const inWindow = (w: Window, at: number | undefined): at is number =>
  at !== undefined && at >= w.from && at < w.to;

/**
 * The coverage of the window `w` from the facts the lists read: production
 * deployments (one per delivery and instant), the changes made in the
 * window, the incidents opened in it, and the Record's webhooks.
 */
export function telemetryCoverage(
  input: {
    deployments: DeploymentEventFact[];
    changes: DoraChangeFact[];
    incidents: DoraIncidentFact[];
    webhooks: TelemetryCoverage['webhooks'];
  },
  w: Window,
  now: number,
): TelemetryCoverage {
  const byDelivery = new Map<string, boolean>();
  for (const e of input.deployments) {
    if (!inWindow(w, e.at)) continue;
    const key = `${e.rawEventId}\u0000${e.at}`;
    byDelivery.set(key, (byDelivery.get(key) ?? false) || !!e.commitSha);
  }
  const deployments = {
    total: byDelivery.size,
    withCommit: [...byDelivery.values()].filter(Boolean).length,
  };
  const windowChanges = input.changes.filter(c => inWindow(w, c.changedAt));
  const changes = {
    total: windowChanges.length,
    deployed: windowChanges.filter(c => c.deployedAt !== undefined).length,
  };
  const opened = input.incidents.filter(i => inWindow(w, i.openedAt));
  const incidents = {
    total: opened.length,
    linked: opened.filter(i => i.linkedAt !== undefined).length,
  };

  const hints: string[] = [];
  if (input.webhooks.length === 0) {
    hints.push(
      'No CI token or webhook: nothing can send this Record events. Connect a tool on the Integrations tab.',
    );
  }
  for (const hook of input.webhooks) {
    const last = hook.lastDeliveryAt ? Date.parse(hook.lastDeliveryAt) : NaN;
    if (Number.isNaN(last)) {
      hints.push(
        `The ${hook.source} webhook has never delivered: check its URL and events in the tool.`,
      );
    } else if (now - last > SILENT_DAYS * DAY_MS) {
      hints.push(
        `The ${hook.source} webhook last delivered ${Math.floor(
          (now - last) / DAY_MS,
        )} days ago.`,
      );
    }
    if (hook.deliveriesRejected > 0) {
      hints.push(
        `The ${hook.source} webhook had ${hook.deliveriesRejected} rejected deliveries (wrong secret or signature, or a bad body).`,
      );
    }
  }
  if (deployments.total === 0) {
    hints.push(
      'No successful production deployment in the window: deployment frequency, lead time, change failure rate and rework rate stay empty. Check that deployments are sent, and that their environment is one of the production environments.',
    );
  } else if (deployments.withCommit < deployments.total) {
    hints.push(
      `${deployments.total - deployments.withCommit} of ${
        deployments.total
      } deployments name no commit: lead time cannot use them (Azure DevOps releases do not send one).`,
    );
  }
  if (changes.total === 0) {
    hints.push(
      'No change (commit) in the window: lead time needs change events or a push webhook.',
    );
  } else if (changes.deployed === 0) {
    hints.push(
      'No change of the window has reached a deployment: do the deployments name the commits that are pushed?',
    );
  }
  if (incidents.total > incidents.linked) {
    hints.push(
      `${incidents.total - incidents.linked} of ${
        incidents.total
      } incidents opened before any deployment: they link to none, so they count for time to restore only.`,
    );
  }
  return { deployments, changes, incidents, webhooks: input.webhooks, hints };
}
