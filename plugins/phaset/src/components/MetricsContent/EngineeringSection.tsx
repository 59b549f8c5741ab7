import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  DurationMetric,
  EngineeringMetrics,
} from '@internal/backstage-plugin-phaset-common';
import type { ReactNode } from 'react';
import type { EngineeringSeriesMetric, FactListKind } from '../../api';
import { FactListButton, useFactList } from '../FactList';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef, SeriesInterval, TimeWindow } from '../../api';
import { ChartCard, MetricTile } from '../ui';
import { ChangeIndicator } from './ChangeIndicator';
import { ChartRow, formatValue, SeriesChart, ValueUnit } from './SeriesChart';

const PR_HOW_TO = (
  <>
    Send <code>pr-opened</code>, <code>review-approved</code>,{' '}
    <code>pr-merged</code> and <code>pr-closed</code> events, or connect a
    GitHub, GitLab, Bitbucket or Azure DevOps pull-request webhook.
  </>
);

type Tile = {
  title: string;
  help: string;
  read(e: EngineeringMetrics): {
    value?: string;
    comparable?: number;
    detail?: string;
    reason?: string;
  };
  lowerIsBetter?: boolean;
  howToSend: ReactNode;
  /** The list behind the tile, when there is one. */
  list?: FactListKind;
};

function medianOf(
  metric: DurationMetric | EngineeringMetrics['reviewSize'],
  unit: ValueUnit,
) {
  if (!('median' in metric)) {
    return { reason: metric.reason };
  }
  const format = (v: number) => formatValue(v, unit);
  return {
    value: format(metric.median),
    comparable: metric.median,
    detail: `median of ${metric.count} · p75 ${format(
      metric.p75,
    )} · p90 ${format(metric.p90)}`,
  };
}

/** Counts are facts only when the Record sends that kind of event at all. */
function count(value: number, noun: string, detail?: string) {
  return { value: `${value}`, comparable: value, detail: detail ?? noun };
}

const TILES: Tile[] = [
  {
    title: 'Merge time',
    list: 'pull-requests',
    help: 'For each pull request merged in the window: merged − created. Median.',
    read: e => medianOf(e.mergeTime, 'seconds'),
    lowerIsBetter: true,
    howToSend: PR_HOW_TO,
  },
  {
    title: 'Review time',
    list: 'pull-requests',
    help: 'For each pull request whose first review was submitted in the window: first review − created. Median.',
    read: e => medianOf(e.reviewTime, 'seconds'),
    lowerIsBetter: true,
    howToSend: PR_HOW_TO,
  },
  {
    title: 'Review size',
    list: 'pull-requests',
    help: 'For each pull request opened in the window that reports its size: additions + deletions. Median.',
    read: e => medianOf(e.reviewSize, 'lines'),
    lowerIsBetter: true,
    howToSend: (
      <>
        Needs pull requests that report additions and deletions (GitHub
        webhooks, or <code>pr-opened</code> events with <code>additions</code>/
        <code>deletions</code>).
      </>
    ),
  },
  {
    title: 'Pull requests',
    list: 'pull-requests',
    help: 'Pull requests opened (by creation time), merged, and closed without merging in the window.',
    read: e =>
      e.pullRequestsOpened + e.pullRequestsMerged + e.pullRequestsClosed === 0
        ? { reason: 'no pull request activity in the window' }
        : count(
            e.pullRequestsOpened,
            '',
            `opened · ${e.pullRequestsMerged} merged · ${e.pullRequestsClosed} closed unmerged`,
          ),
    howToSend: PR_HOW_TO,
  },
  {
    title: 'Reviews',
    list: 'pull-requests',
    help: 'Review verdicts submitted in the window: approvals and requests for changes.',
    read: e => {
      const reviews = e.reviewsApproved + e.reviewsChangesRequested;
      return reviews === 0
        ? { reason: 'no review was submitted in the window' }
        : count(
            reviews,
            '',
            `${e.reviewsApproved} approved · ${e.reviewsChangesRequested} changes requested · ${e.comments} comments`,
          );
    },
    howToSend: PR_HOW_TO,
  },
  {
    title: 'Pushes',
    help: 'Distinct commits (SHAs) changed in the window.',
    read: e =>
      e.changes === 0
        ? { reason: 'no change (commit) in the window' }
        : count(e.changes, 'distinct commits'),
    howToSend: (
      <>
        Send <code>change</code> events from CI or connect a push webhook.
      </>
    ),
  },
];

function EngineeringTiles(props: {
  recordId: string;
  current: EngineeringMetrics;
  previous: EngineeringMetrics;
  days: number;
}) {
  const { recordId, current, previous, days } = props;
  return (
    <Grid container spacing={2}>
      {TILES.map(tile => {
        const now = tile.read(current);
        const before = tile.read(previous);
        return (
          <Grid item xs={12} sm={6} md={4} lg={2} key={tile.title}>
            <MetricTile
              title={tile.title}
              value={now.value}
              detail={now.detail}
              help={tile.help}
              action={
                tile.list &&
                now.value !== undefined && (
                  <FactListButton
                    kind={tile.list}
                    recordId={recordId}
                    label="Show the pull requests"
                  />
                )
              }
              missing={
                <>
                  {now.reason && `No data: ${now.reason}. `}
                  {tile.howToSend}
                </>
              }
              change={
                <ChangeIndicator
                  current={now.comparable}
                  previous={before.comparable}
                  days={days}
                  lowerIsBetter={tile.lowerIsBetter ?? false}
                  unit="relative"
                />
              }
            />
          </Grid>
        );
      })}
    </Grid>
  );
}

/** The series each chart line or bar reads, by its key in the chart's rows. */
const CHART_SERIES: Record<string, EngineeringSeriesMetric> = {
  opened: 'pullRequestsOpened',
  merged: 'pullRequestsMerged',
  closed: 'pullRequestsClosed',
  mergeTime: 'mergeTime',
  reviewTime: 'reviewTime',
  approved: 'reviewsApproved',
  changesRequested: 'reviewsChangesRequested',
  pushes: 'changes',
};

/**
 * Engineering metrics per bucket (the same buckets as the DORA charts): one
 * engineering series read per charted metric, whatever the window's length.
 */
function EngineeringCharts(props: {
  recordId: string;
  interval: SeriesInterval;
  window: TimeWindow;
}) {
  const { recordId, interval, window } = props;
  const api = useApi(phasetApiRef);
  const { open } = useFactList();
  const {
    value: rows,
    loading,
    error,
  } = useAsync(async () => {
    const keys = Object.keys(CHART_SERIES);
    const series = await Promise.all(
      keys.map(key =>
        api.getEngineeringSeries(recordId, CHART_SERIES[key], interval, window),
      ),
    );
    return series[0].points.map(
      (point, i): ChartRow => ({
        from: point.from,
        to: point.to,
        ...Object.fromEntries(
          keys.map((key, k) => [key, series[k].points[i].value]),
        ),
      }),
    );
  }, [api, recordId, interval, window.from.getTime()]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const data = rows ?? [];
  const none = (keys: string[]) =>
    data.every(row =>
      keys.every(k => {
        const v = row[k];
        return v === null || v === 0;
      }),
    );
  const charts = [
    {
      title: 'Pull requests',
      series: [
        { key: 'opened', name: 'Opened' },
        { key: 'merged', name: 'Merged' },
        { key: 'closed', name: 'Closed unmerged' },
      ],
      unit: 'count' as const,
      kind: 'bar' as const,
    },
    {
      title: 'Merge and review time',
      series: [
        { key: 'mergeTime', name: 'Merge time (median)' },
        { key: 'reviewTime', name: 'Review time (median)' },
      ],
      unit: 'seconds' as const,
      kind: 'line' as const,
    },
    {
      title: 'Reviews and pushes',
      series: [
        { key: 'approved', name: 'Approved' },
        { key: 'changesRequested', name: 'Changes requested' },
        { key: 'pushes', name: 'Pushes' },
      ],
      unit: 'count' as const,
      kind: 'bar' as const,
    },
  ];
  return (
    <Grid container spacing={2}>
      {charts.map(chart => (
        <Grid item xs={12} md={4} key={chart.title}>
          <ChartCard
            title={chart.title}
            missing={none(chart.series.map(s => s.key)) ? PR_HOW_TO : undefined}
          >
            <SeriesChart
              rows={data}
              series={chart.series}
              unit={chart.unit}
              interval={interval}
              kind={chart.kind}
              onSelect={row =>
                open({
                  kind: 'pull-requests',
                  recordId,
                  window: {
                    from: new Date(row.from),
                    to: new Date(row.to as string),
                  },
                })
              }
            />
          </ChartCard>
        </Grid>
      ))}
    </Grid>
  );
}

export function EngineeringSection(props: {
  recordId: string;
  current: EngineeringMetrics;
  previous: EngineeringMetrics;
  days: number;
  interval: SeriesInterval;
  window: TimeWindow;
}) {
  const { recordId, current, previous, days, interval, window } = props;
  // One explanation instead of six identical ones when nothing arrived.
  if (TILES.every(tile => tile.read(current).value === undefined)) {
    return (
      <InfoCard title="No pull request or push data in this window">
        <Typography variant="body2" data-testid="engineering-missing">
          Merge time, review time, review size, pull requests, reviews and
          pushes need pull request and push events. {PR_HOW_TO} Pushes come from{' '}
          <code>change</code> events or a push webhook.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <Grid container spacing={2} direction="column">
      <Grid item>
        <EngineeringTiles
          recordId={recordId}
          current={current}
          previous={previous}
          days={days}
        />
      </Grid>
      <Grid item>
        <EngineeringCharts
          recordId={recordId}
          interval={interval}
          window={window}
        />
      </Grid>
    </Grid>
  );
}
