/*
 * What each metric means and what it needs, as docs/metrics.md defines them.
 * Thresholds are the DORA 2023 defaults; `phaset.metrics.tiers` can change them.
 */
import Typography from '@material-ui/core/Typography';
import {
  DEFAULT_DORA_TIERS,
  DoraMetrics,
  DoraTier,
} from '@internal/backstage-plugin-phaset-common';
import type { ReactNode } from 'react';
import type { FactListKind, SeriesMetric } from '../../api';
import { formatDuration, formatNumber, formatPercent } from '../ui/format';

const T = DEFAULT_DORA_TIERS;

export type DoraKey =
  | 'deploymentFrequency'
  | 'leadTimeForChanges'
  | 'changeFailureRate'
  | 'reworkRate'
  | 'failedDeploymentRecoveryTime'
  | 'timeToRestore';

export type Reading = {
  /** Formatted main value; undefined when the metric has no data. */
  value?: string;
  /** The number compared between windows. */
  comparable?: number;
  tier: DoraTier | null;
  detail?: string;
  /** The API's reason when there is no data. */
  reason?: string;
};

export type DoraDefinition = {
  key: DoraKey;
  title: string;
  definition: string;
  /** Empty for a metric DORA gives no tiers for (rework rate). */
  thresholds: Array<[DoraTier, string]>;
  /** The list behind the number, and what its link says. */
  list: FactListKind;
  listLabel(dora: DoraMetrics): string;
  /** What to send when the metric has no data. */
  howToSend: ReactNode;
  lowerIsBetter: boolean;
  /** The series metric charted for it. */
  series: SeriesMetric;
  /** How the series values read on a chart axis and tooltip. */
  seriesUnit: 'count' | 'ratio' | 'seconds';
  read(dora: DoraMetrics): Reading;
};

const code = (text: string) => <code>{text}</code>;

const counted = (n: number, one: string, many = `${one}s`) =>
  `${n} ${n === 1 ? one : many}`;

function durationReading(
  metric: DoraMetrics['leadTimeForChanges'],
  noun: string,
): Reading {
  if (!('median' in metric)) {
    return { tier: null, reason: metric.reason };
  }
  return {
    value: formatDuration(metric.median),
    comparable: metric.median,
    tier: metric.tier,
    detail: `median of ${metric.count} ${noun}${
      metric.count === 1 ? '' : 's'
    } · p75 ${formatDuration(metric.p75)} · p90 ${formatDuration(metric.p90)}`,
  };
}

const recoveryThresholds: Array<[DoraTier, string]> = [
  ['elite', `under ${formatDuration(T.recoverySeconds[0])}`],
  ['high', `under ${formatDuration(T.recoverySeconds[1])}`],
  ['medium', `under ${formatDuration(T.recoverySeconds[2])}`],
  ['low', 'longer'],
];

const incidentsHowTo = (
  <>
    Needs incidents: send {code('incident-opened')} and{' '}
    {code('incident-resolved')} events, or connect a Jira, Linear, GitHub issues
    or DevLake webhook.
  </>
);

export const DORA_DEFINITIONS: DoraDefinition[] = [
  {
    key: 'deploymentFrequency',
    title: 'Deployment frequency',
    definition:
      'Successful production deployments in the window. The tier uses the median, over the weeks of the window, of the days with at least one deployment.',
    thresholds: [
      ['elite', `≥ ${T.deploymentDaysPerWeek[0]} deployment days a week`],
      ['high', `≥ ${T.deploymentDaysPerWeek[1]} deployment day a week`],
      ['medium', `≥ ${T.deploymentDaysPerMonth} deployment day per 30 days`],
      ['low', 'less often'],
    ],
    howToSend: (
      <>
        Needs deployments: send {code('deployment')} events from CI after each
        production deploy, or connect a GitHub, GitLab or Azure DevOps
        deployment webhook.
      </>
    ),
    list: 'deployments',
    listLabel: d =>
      `Show the ${counted(d.deploymentFrequency.deployments, 'deployment')}`,
    lowerIsBetter: false,
    series: 'deployments',
    seriesUnit: 'count',
    read: ({ deploymentFrequency: d }) => {
      if (d.deployments === 0 && d.tier === null) {
        return { tier: null, reason: 'no successful production deployment' };
      }
      return {
        value: `${formatNumber(d.perWeek)} / week`,
        comparable: d.deployments,
        tier: d.tier,
        detail: `${d.deployments} deployment${
          d.deployments === 1 ? '' : 's'
        } · median ${formatNumber(d.medianDeploymentDaysPerWeek)} deployment ${
          d.medianDeploymentDaysPerWeek === 1 ? 'day' : 'days'
        } a week`,
      };
    },
  },
  {
    key: 'leadTimeForChanges',
    title: 'Lead time for changes',
    definition:
      'For each change (commit) deployed in the window: the time from the change to the first production deployment at or after it. Median.',
    thresholds: [
      ['elite', `under ${formatDuration(T.leadTimeSeconds[0])}`],
      ['high', `under ${formatDuration(T.leadTimeSeconds[1])}`],
      ['medium', `under ${formatDuration(T.leadTimeSeconds[2])}`],
      ['low', 'longer'],
    ],
    howToSend: (
      <>
        Lead time needs change events: send {code('change')} events from CI or
        connect a push webhook, as well as deployments.
      </>
    ),
    list: 'changes',
    listLabel: d =>
      `Show the ${counted(
        d.leadTimeForChanges.count,
        'change',
      )}, slowest first`,
    lowerIsBetter: true,
    series: 'leadTimeForChanges',
    seriesUnit: 'seconds',
    read: ({ leadTimeForChanges }) =>
      durationReading(leadTimeForChanges, 'change'),
  },
  {
    key: 'changeFailureRate',
    title: 'Change failure rate',
    definition:
      'Production deployments in the window followed by at least one incident (linked to the latest deployment before it opened), divided by all deployments in the window.',
    thresholds: [
      ['elite', `≤ ${formatPercent(T.changeFailureRate[0])}`],
      ['high', `≤ ${formatPercent(T.changeFailureRate[1])}`],
      ['medium', `≤ ${formatPercent(T.changeFailureRate[2])}`],
      ['low', 'higher'],
    ],
    howToSend: (
      <>
        Needs production deployments in the window, and incidents to link to
        them ({code('incident-opened')} events or an issue-tracker webhook).
      </>
    ),
    list: 'deployments',
    listLabel: ({ changeFailureRate: c }) =>
      c.value === null
        ? 'Show the deployments'
        : `Show the ${counted(c.failedDeployments, 'failed deployment')} first`,
    lowerIsBetter: true,
    series: 'changeFailureRate',
    seriesUnit: 'ratio',
    read: ({ changeFailureRate: c }) => {
      if (c.value === null) {
        return { tier: null, reason: c.reason };
      }
      return {
        value: formatPercent(c.value),
        comparable: c.value,
        tier: c.tier,
        detail: `${c.failedDeployments} of ${c.deployments} deployment${
          c.deployments === 1 ? '' : 's'
        } led to an incident`,
      };
    },
  },
  {
    key: 'reworkRate',
    title: 'Rework rate',
    definition:
      'DORA 2024: production deployments in the window made while an incident of the Record was open (after its opening, up to its resolution), divided by all deployments in the window. DORA publishes no tiers for it, so it has none.',
    thresholds: [],
    howToSend: (
      <>
        Needs production deployments in the window, and incidents that were open
        while some of them were made ({code('incident-opened')} and{' '}
        {code('incident-resolved')} events or an issue-tracker webhook).
      </>
    ),
    list: 'deployments',
    listLabel: ({ reworkRate: r }) =>
      r.value === null
        ? 'Show the deployments'
        : `Show the deployments (${r.reworkDeployments} rework)`,
    lowerIsBetter: true,
    series: 'reworkRate',
    seriesUnit: 'ratio',
    read: ({ reworkRate: r }) => {
      if (r.value === null) {
        return { tier: null, reason: r.reason };
      }
      return {
        value: formatPercent(r.value),
        comparable: r.value,
        tier: null,
        detail: `${r.reworkDeployments} of ${counted(
          r.deployments,
          'deployment',
        )} made during an incident`,
      };
    },
  },
  {
    key: 'failedDeploymentRecoveryTime',
    title: 'Failed deployment recovery time',
    definition:
      'DORA 2023: for each incident resolved in the window and linked to a deployment, the time from that deployment to the resolution. Median.',
    thresholds: recoveryThresholds,
    howToSend: incidentsHowTo,
    list: 'incidents',
    listLabel: d =>
      `Show the ${counted(
        d.failedDeploymentRecoveryTime.count,
        'linked incident',
      )}`,
    lowerIsBetter: true,
    series: 'failedDeploymentRecoveryTime',
    seriesUnit: 'seconds',
    read: ({ failedDeploymentRecoveryTime }) =>
      durationReading(failedDeploymentRecoveryTime, 'incident'),
  },
  {
    key: 'timeToRestore',
    title: 'Time to restore',
    definition:
      'DORA 2021: for each incident resolved in the window, the time from its opening to its resolution. Median.',
    thresholds: recoveryThresholds,
    howToSend: incidentsHowTo,
    list: 'incidents',
    listLabel: d =>
      `Show the ${counted(
        d.timeToRestore.count + d.timeToRestore.open.length,
        'incident',
      )}`,
    lowerIsBetter: true,
    series: 'timeToRestore',
    seriesUnit: 'seconds',
    read: ({ timeToRestore }) => {
      const reading = durationReading(timeToRestore, 'incident');
      const open = timeToRestore.open.length;
      if (open > 0 && reading.detail) {
        reading.detail += ` · ${open} still open`;
      }
      return reading;
    },
  },
];

/** The tooltip of a DORA tile: definition, then the tier thresholds. */
export function DefinitionHelp({ definition }: { definition: DoraDefinition }) {
  return (
    <>
      <Typography variant="body2" paragraph>
        {definition.definition}
      </Typography>
      {definition.thresholds.length === 0 && (
        <Typography variant="body2">No tiers: DORA publishes none.</Typography>
      )}
      {definition.thresholds.map(([tier, text]) => (
        <Typography variant="body2" key={tier}>
          <strong>{tier[0].toLocaleUpperCase('en-US') + tier.slice(1)}</strong>:{' '}
          {text}
        </Typography>
      ))}
    </>
  );
}

/** Orders rows by a metric's value; missing values sort after every value, whichever the direction. */
export function compareReadings(definition: DoraDefinition) {
  return (a: { dora: DoraMetrics }, b: { dora: DoraMetrics }) => {
    const x = definition.read(a.dora).comparable;
    const y = definition.read(b.dora).comparable;
    if (x === undefined || y === undefined) {
      return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0);
    }
    return x - y;
  };
}
