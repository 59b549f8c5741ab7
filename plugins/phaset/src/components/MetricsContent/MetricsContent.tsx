import { Content, ContentHeader } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef } from '../../api';
import {
  AsyncContent,
  NoRecordState,
  previousWindow,
  seriesInterval,
  usePhasetRecordId,
  useWindowDays,
  WindowPicker,
  windowOfDays,
} from '../ui';
import { CoveragePanel } from './CoveragePanel';
import { DoraCharts } from './DoraCharts';
import { DoraTiles } from './DoraTiles';
import { DORA_DEFINITIONS } from './definitions';
import { EngineeringSection } from './EngineeringSection';
import { FactListDrawer } from '../FactList';

/** The Metrics tab: DORA and engineering metrics of the entity's Record. */
export function MetricsContent() {
  const recordId = usePhasetRecordId();
  const api = useApi(phasetApiRef);
  const [days, setDays] = useWindowDays();
  const window = useMemo(() => windowOfDays(days), [days]);
  const interval = seriesInterval(days);
  const state = useAsync(async () => {
    if (!recordId) return undefined;
    const [current, previous] = await Promise.all([
      api.getRecordMetrics(recordId, window),
      api.getRecordMetrics(recordId, previousWindow(window)),
    ]);
    return { current, previous };
  }, [api, recordId, window]);

  if (!recordId) {
    return <NoRecordState />;
  }
  return (
    <Content noPadding>
      <ContentHeader title="Delivery metrics">
        <WindowPicker days={days} window={window} onChange={setDays} />
      </ContentHeader>
      <AsyncContent recordId={recordId} {...state}>
        {({ current, previous }) => (
          <Grid container spacing={3} direction="column">
            <Grid item>
              <Typography variant="h6" component="h2" gutterBottom>
                DORA
              </Typography>
              <DoraTiles
                recordId={recordId}
                current={current.dora}
                previous={previous.dora}
                days={days}
              />
            </Grid>
            <Grid item>
              <CoveragePanel recordId={recordId} window={window} />
            </Grid>
            {/* Without any DORA data the tiles already say what to send. */}
            {DORA_DEFINITIONS.some(
              d => d.read(current.dora).value !== undefined,
            ) && (
              <Grid item>
                <DoraCharts
                  recordId={recordId}
                  interval={interval}
                  window={window}
                />
              </Grid>
            )}
            <Grid item>
              <Typography variant="h6" component="h2" gutterBottom>
                Engineering
              </Typography>
              <EngineeringSection
                recordId={recordId}
                current={current.engineering}
                previous={previous.engineering}
                days={days}
                interval={interval}
                window={window}
              />
            </Grid>
          </Grid>
        )}
      </AsyncContent>
      <FactListDrawer window={window} />
    </Content>
  );
}
