import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef, SeriesInterval, TimeWindow } from '../../api';
import { useFactList } from '../FactList';
import { ChartCard } from '../ui';
import { DoraDefinition, DORA_DEFINITIONS } from './definitions';
import { SeriesChart } from './SeriesChart';

const INTERVAL_WORD: Record<SeriesInterval, string> = {
  day: 'Per day',
  week: 'Per week (weeks from Monday)',
  month: 'Per month',
};

function DoraChart(props: {
  recordId: string;
  definition: DoraDefinition;
  interval: SeriesInterval;
  window: TimeWindow;
}) {
  const { recordId, definition, interval, window } = props;
  const api = useApi(phasetApiRef);
  const { open } = useFactList();
  const { value, loading, error } = useAsync(
    () => api.getMetricSeries(recordId, definition.series, interval, window),
    [api, recordId, definition.series, interval, window.from.getTime()],
  );
  const title =
    definition.series === 'deployments' ? 'Deployments' : definition.title;
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const points = value?.points ?? [];
  // A rate of 0 is a value (no failed or rework deployment); no deployments is not.
  const empty = points.every(
    p =>
      p.value === null || (definition.seriesUnit === 'count' && p.value === 0),
  );
  return (
    <ChartCard
      title={title}
      subheader={`${INTERVAL_WORD[interval]}${
        definition.seriesUnit === 'seconds' ? ', median' : ''
      } · click a ${interval} for its ${definition.list}`}
      missing={empty ? definition.howToSend : undefined}
    >
      <SeriesChart
        rows={points.map(p => ({ from: p.from, to: p.to, value: p.value }))}
        onSelect={row =>
          open({
            kind: definition.list,
            recordId,
            window: {
              from: new Date(row.from),
              to: new Date(row.to as string),
            },
          })
        }
        series={[{ key: 'value', name: title }]}
        unit={definition.seriesUnit}
        interval={interval}
        kind={definition.series === 'deployments' ? 'bar' : 'line'}
      />
    </ChartCard>
  );
}

/** One chart per DORA metric over the window, from the series endpoint. */
export function DoraCharts(props: {
  recordId: string;
  interval: SeriesInterval;
  window: TimeWindow;
}) {
  return (
    <Grid container spacing={2}>
      {DORA_DEFINITIONS.map(definition => (
        <Grid item xs={12} md={6} key={definition.key}>
          <DoraChart definition={definition} {...props} />
        </Grid>
      ))}
    </Grid>
  );
}
