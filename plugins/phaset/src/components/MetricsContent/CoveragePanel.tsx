import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef, TimeWindow } from '../../api';
import { formatRelative } from '../ui';

function Share(props: {
  label: string;
  part: number;
  total: number;
  noun: string;
}) {
  const { label, part, total, noun } = props;
  return (
    <Box mb={1.5} data-testid={`coverage-${noun}`}>
      <Typography variant="body2">
        {total === 0
          ? `No ${noun} in the window`
          : `${part} of ${total} ${noun} ${label}`}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={total === 0 ? 0 : (100 * part) / total}
        aria-label={`${noun} ${label}`}
      />
    </Box>
  );
}

/**
 * "Why is this empty?": how much of the window's telemetry the metrics can
 * use, each webhook's last delivery, and what to look at.
 */
export function CoveragePanel(props: { recordId: string; window: TimeWindow }) {
  const { recordId, window } = props;
  const api = useApi(phasetApiRef);
  const { value, loading, error } = useAsync(
    () => api.getCoverage(recordId, window),
    [api, recordId, window.from.getTime(), window.to.getTime()],
  );
  // No progress bar of its own: the panel appears when its answer is in.
  if (loading) return null;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <InfoCard
      title="Telemetry coverage"
      subheader="What the metrics can use, and why a number may be empty"
    >
      <Grid container spacing={3}>
        <Grid item xs={12} md={4}>
          <Share
            noun="deployments"
            label="name their commit"
            part={value.deployments.withCommit}
            total={value.deployments.total}
          />
          <Share
            noun="changes"
            label="reached a deployment"
            part={value.changes.deployed}
            total={value.changes.total}
          />
          <Share
            noun="incidents"
            label="link to a deployment"
            part={value.incidents.linked}
            total={value.incidents.total}
          />
        </Grid>
        <Grid item xs={12} md={3}>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            Webhooks and tokens
          </Typography>
          {value.webhooks.length === 0 && (
            <Typography variant="body2" color="textSecondary">
              none
            </Typography>
          )}
          {value.webhooks.map((hook, i) => (
            <Typography variant="body2" key={i}>
              {hook.source}:{' '}
              {hook.lastDeliveryAt
                ? `last delivery ${formatRelative(hook.lastDeliveryAt)}`
                : 'never delivered'}
              {hook.deliveriesRejected > 0 &&
                `, ${hook.deliveriesRejected} rejected`}
            </Typography>
          ))}
        </Grid>
        <Grid item xs={12} md={5}>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            What to look at
          </Typography>
          {value.hints.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              Nothing: every kind of event arrives and links up.
            </Typography>
          ) : (
            <ul
              style={{ margin: 0, paddingLeft: 20 }}
              data-testid="coverage-hints"
            >
              {value.hints.map(hint => (
                <li key={hint}>
                  <Typography variant="body2">{hint}</Typography>
                </li>
              ))}
            </ul>
          )}
        </Grid>
      </Grid>
    </InfoCard>
  );
}
