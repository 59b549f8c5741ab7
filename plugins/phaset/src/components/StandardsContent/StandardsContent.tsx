import {
  CodeSnippet,
  Content,
  EmptyState,
  InfoCard,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { discoveryApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircle from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import Warning from '@material-ui/icons/Warning';
import type {
  PhasetBaseline,
  StandardsCheckResult,
  StandardsStatus,
} from '@internal/backstage-plugin-phaset-common';
import useAsync from 'react-use/esm/useAsync';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { phasetApiRef, PhasetRecord, StandardsReport } from '../../api';
import {
  AsyncContent,
  ChartCard,
  formatDateTime,
  formatPercent,
  formatRelative,
  NoRecordState,
  useChartColors,
  usePhasetRecordId,
} from '../ui';
import { baselineChecks, historyBars, passRate } from './standards';

const useStyles = makeStyles(theme => ({
  pass: { color: theme.palette.success.main },
  warn: { color: theme.palette.warning.main },
  fail: { color: theme.palette.error.main },
  status: { display: 'flex', alignItems: 'center', gap: theme.spacing(0.5) },
  count: { fontSize: '2rem', lineHeight: 1.2 },
}));

const STATUS_WORD: Record<StandardsStatus, string> = {
  fail: 'Failed',
  warn: 'Warning',
  pass: 'Passed',
};
const STATUS_ORDER: Record<StandardsStatus, number> = {
  fail: 0,
  warn: 1,
  pass: 2,
};

function StatusLabel({ status }: { status: StandardsStatus }) {
  const classes = useStyles();
  const Icon = { pass: CheckCircle, warn: Warning, fail: ErrorIcon }[status];
  return (
    <span className={`${classes.status} ${classes[status]}`}>
      <Icon fontSize="small" /> {STATUS_WORD[status]}
    </span>
  );
}

function Summary({
  latest,
}: {
  latest: NonNullable<StandardsReport['latest']>;
}) {
  const classes = useStyles();
  const rate = passRate(latest);
  const counts: Array<[string, number, keyof typeof classes]> = [
    ['Passes', latest.passes, 'pass'],
    ['Warnings', latest.warnings, 'warn'],
    ['Failures', latest.failures, 'fail'],
  ];
  return (
    <InfoCard
      title="Latest result"
      subheader={`Checked ${formatRelative(latest.createdAt)} (${formatDateTime(
        latest.createdAt,
      )}) against Baseline ${latest.baselineId}`}
    >
      <Grid container spacing={2}>
        {counts.map(([label, value, style]) => (
          <Grid item xs={3} key={label}>
            <Typography
              className={`${classes.count} ${classes[style]}`}
              data-testid={`standards-${label}`}
            >
              {value}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {label}
            </Typography>
          </Grid>
        ))}
        <Grid item xs={3}>
          <Typography className={classes.count} data-testid="standards-score">
            {rate === undefined ? '–' : formatPercent(rate)}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Score (checks passed)
          </Typography>
        </Grid>
      </Grid>
    </InfoCard>
  );
}

const SEVERITY_COLOR = {
  error: 'fail',
  warn: 'warn',
  disabled: undefined,
} as const;

function BaselineCard({ baseline }: { baseline: PhasetBaseline }) {
  const classes = useStyles();
  return (
    <InfoCard
      title={`Baseline: ${baseline.name}`}
      subheader={`id ${baseline.id}`}
    >
      <List dense disablePadding>
        {baselineChecks(baseline).map(check => {
          const style = SEVERITY_COLOR[check.severity];
          return (
            <ListItem key={`${check.name}-${check.path ?? ''}`} disableGutters>
              <ListItemText
                primary={check.name}
                secondary={check.path ? `path: ${check.path}` : undefined}
              />
              <Chip
                size="small"
                variant="outlined"
                label={check.severity}
                className={style ? classes[style] : undefined}
              />
            </ListItem>
          );
        })}
      </List>
    </InfoCard>
  );
}

const columns: TableColumn<StandardsCheckResult>[] = [
  { title: 'Check', field: 'name' },
  {
    title: 'Status',
    field: 'status',
    render: row => <StatusLabel status={row.status} />,
    customSort: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
  },
  { title: 'Message', field: 'message' },
  { title: 'Path', field: 'path', emptyValue: '–' },
];

function HistoryChart({ history }: { history: StandardsReport['history'] }) {
  const colors = useChartColors();
  const data = historyBars(history);
  // One stacked bar per result: reads the same for two results posted a
  // minute apart as for a year of daily ones.
  const bars: Array<[string, string]> = [
    ['Failures', colors.fail],
    ['Warnings', colors.warn],
    ['Passes', colors.pass],
  ];
  return (
    <ChartCard
      title="History"
      subheader={`Last ${history.length} result${
        history.length === 1 ? '' : 's'
      }`}
      missing={
        history.length < 2
          ? 'The history shows once a second result has been posted.'
          : undefined
      }
    >
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
        <XAxis
          dataKey="label"
          stroke={colors.axis}
          tick={{ fill: colors.axis, fontSize: 12 }}
        />
        <YAxis
          allowDecimals={false}
          stroke={colors.axis}
          tick={{ fill: colors.axis, fontSize: 12 }}
          width={40}
        />
        <Tooltip {...colors.tooltip} />
        <Legend />
        {bars.map(([key, color]) => (
          <Bar
            key={key}
            dataKey={key}
            stackId="checks"
            fill={color}
            maxBarSize={48}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartCard>
  );
}

/** What a team does to get Standards results in: the Baseline URL and a CI step. */
function HowToPost({
  record,
  baseline,
}: {
  record: PhasetRecord;
  baseline: PhasetBaseline;
}) {
  const discovery = useApi(discoveryApiRef);
  const { value: baseUrl } = useAsync(
    () => discovery.getBaseUrl('phaset'),
    [discovery],
  );
  const api = baseUrl ?? '<backstage>/api/phaset';
  const path = `${record.organizationId}/${record.id}/\${{ secrets.PHASET_TOKEN }}`;
  const step = `# GitHub Actions steps: fetch the Baseline, run StandardLint, post the result
- name: Standards
  run: |
    curl -fsS -o standardlint.json \\
      ${api}/integration/baselines/${record.organizationId}/${baseline.id}/${record.id}/\${{ secrets.PHASET_TOKEN }}
    npx standardlint --output
    curl -fsS -X POST -H 'Content-Type: application/json' \\
      --data @standardlint.results.json \\
      ${api}/integration/standards/${path}`;
  return (
    <EmptyState
      missing="data"
      title="No Standards result yet"
      description={
        <>
          <Typography variant="body1" paragraph>
            CI fetches this Record&apos;s Baseline, runs StandardLint with it
            and posts the output. The Baseline for this Record is at
          </Typography>
          <CodeSnippet
            language="text"
            text={`${api}/integration/baselines/${record.organizationId}/${baseline.id}/${record.id}/<WEBHOOK_TOKEN>`}
          />
          <Typography variant="body1" paragraph style={{ marginTop: 16 }}>
            Keep the Record&apos;s token as the CI secret{' '}
            <code>PHASET_TOKEN</code> and add this step:
          </Typography>
          <CodeSnippet language="yaml" text={step} />
        </>
      }
    />
  );
}

/** The Standards tab: Baseline, latest StandardLint result and its history. */
export function StandardsContent() {
  const recordId = usePhasetRecordId();
  const api = useApi(phasetApiRef);
  const state = useAsync(async () => {
    if (!recordId) return undefined;
    const [record, standards, baseline] = await Promise.all([
      api.getRecord(recordId),
      api.getStandards(recordId),
      api.getBaseline(recordId),
    ]);
    return { record, standards, baseline };
  }, [api, recordId]);
  if (!recordId) {
    return <NoRecordState />;
  }
  return (
    <Content noPadding>
      <AsyncContent recordId={recordId} {...state}>
        {({ record, standards, baseline }) => {
          const { latest, history } = standards;
          if (!latest) {
            return (
              <Grid container spacing={3}>
                <Grid item xs={12} md={8}>
                  <HowToPost record={record} baseline={baseline} />
                </Grid>
                <Grid item xs={12} md={4}>
                  <BaselineCard baseline={baseline} />
                </Grid>
              </Grid>
            );
          }
          const results = [...latest.results].sort(
            (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
          );
          return (
            <Grid container spacing={3}>
              <Grid item xs={12} md={8}>
                <Box mb={3}>
                  <Summary latest={latest} />
                </Box>
                <Table
                  title="Results"
                  options={{ paging: false, search: false, padding: 'dense' }}
                  columns={columns}
                  data={results}
                />
              </Grid>
              <Grid item xs={12} md={4}>
                <BaselineCard baseline={baseline} />
              </Grid>
              <Grid item xs={12}>
                <HistoryChart history={history} />
              </Grid>
            </Grid>
          );
        }}
      </AsyncContent>
    </Content>
  );
}
