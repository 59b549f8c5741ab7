import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef, RecordHealth } from '../../api';
import { DORA_DEFINITIONS } from '../MetricsContent/definitions';
import {
  DEFAULT_WINDOW_DAYS,
  formatDayAgo,
  formatPercent,
  formatRelative,
  NoRecordState,
  GradeChip,
  TierChip,
  usePhasetRecordId,
  windowOfDays,
} from '../ui';
import { passRate } from '../StandardsContent/standards';
import { useEntityTabLink } from '../tabs';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  links: {
    display: 'flex',
    gap: theme.spacing(2),
    marginTop: theme.spacing(2),
  },
}));

function Row({ label, children }: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <div className={classes.row} data-testid={`health-row-${label}`}>
      <Typography variant="body2">{label}</Typography>
      <Box
        display="flex"
        alignItems="center"
        style={{ gap: 8, whiteSpace: 'nowrap' }}
      >
        {children}
      </Box>
    </div>
  );
}

const part = (score: number | null) =>
  score === null ? 'missing' : `${Math.round(score)}`;

/** The grade, the three parts it is the mean of, and what would raise it. */
function HealthSummary(props: { health: RecordHealth; reviewLink: string }) {
  const { health, reviewLink } = props;
  const { standards, completeness, review } = health.parts;
  return (
    <Box mb={2} data-testid="health-summary">
      <Box display="flex" alignItems="center" style={{ gap: 12 }}>
        <GradeChip grade={health.grade} large />
        <div>
          <Typography variant="subtitle1" component="p">
            Health Score {Math.round(health.score)} / 100
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Standards {part(standards.score)} · completeness{' '}
            {part(completeness.score)} (manifest {part(completeness.manifest)},
            telemetry {part(completeness.telemetry.score)}) · Review{' '}
            {part(review.score)}
            {review.stale ? ' (old: counts half)' : ''}
          </Typography>
        </div>
      </Box>
      {health.next.length > 0 && (
        <Box mt={1}>
          <Typography variant="body2" component="p">
            <strong>Next:</strong>
          </Typography>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {health.next.slice(0, 3).map(step => (
              <li key={step}>
                <Typography variant="body2">
                  {step.startsWith('Fill in a Review') ? (
                    <Link to={reviewLink}>{step}</Link>
                  ) : (
                    step
                  )}
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}
    </Box>
  );
}

/** Overview card: the Health Score, standards pass rate, DORA tiers, last deployment and push. */
export function HealthCard() {
  const recordId = usePhasetRecordId();
  const { entity } = useEntity();
  const api = useApi(phasetApiRef);
  const classes = useStyles();
  const tabLink = useEntityTabLink(entity);
  const window = useMemo(() => windowOfDays(DEFAULT_WINDOW_DAYS), []);
  const { value, loading, error } = useAsync(async () => {
    if (!recordId) return undefined;
    const [record, standards, metrics, health] = await Promise.all([
      api.getRecord(recordId),
      api.getStandards(recordId),
      api.getRecordMetrics(recordId, window),
      api.getHealth(recordId),
    ]);
    return { record, standards, metrics, health };
  }, [api, recordId, window]);

  let body;
  if (!recordId) body = <NoRecordState />;
  else if (loading) body = <Progress />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (value) {
    const { record, standards, metrics, health } = value;
    const rate = standards.latest ? passRate(standards.latest) : undefined;
    body = (
      <>
        <HealthSummary health={health} reviewLink={tabLink('review')} />
        <Row label="Standards">
          {standards.latest ? (
            <Typography variant="body2" data-testid="health-standards">
              {rate === undefined ? 'no checks ran' : formatPercent(rate)} pass
              · {standards.latest.failures} failing
            </Typography>
          ) : (
            <Typography variant="body2" color="textSecondary">
              No result yet
            </Typography>
          )}
        </Row>
        {DORA_DEFINITIONS.filter(
          d => d.key !== 'timeToRestore' && d.thresholds.length > 0,
        ).map(definition => {
          const reading = definition.read(metrics.dora);
          return (
            <Row label={definition.title} key={definition.key}>
              <Typography
                variant="body2"
                color={reading.value ? 'textPrimary' : 'textSecondary'}
              >
                {reading.value ?? 'no data'}
              </Typography>
              <TierChip tier={reading.tier} />
            </Row>
          );
        })}
        <Row label="Last deployment">
          <Typography variant="body2" data-testid="health-last-deployment">
            {metrics.lastDeploymentAt
              ? formatDayAgo(metrics.lastDeploymentAt)
              : 'none yet'}
          </Typography>
        </Row>
        <Row label="Manifest pushed">
          <Typography variant="body2">
            {record.manifestUpdatedAt
              ? formatRelative(record.manifestUpdatedAt)
              : 'never'}
          </Typography>
        </Row>
        <div className={classes.links}>
          <Link to={tabLink('record')}>Record</Link>
          <Link to={tabLink('standards')}>Standards</Link>
          <Link to={tabLink('metrics')}>Metrics</Link>
          <Link to={tabLink('review')}>Review</Link>
        </div>
      </>
    );
  }
  return (
    <InfoCard
      title="Phaset health"
      subheader={`DORA over the last ${DEFAULT_WINDOW_DAYS} days`}
    >
      {body}
    </InfoCard>
  );
}
