import Grid from '@material-ui/core/Grid';
import type { DoraMetrics } from '@internal/backstage-plugin-phaset-common';
import { FactListButton } from '../FactList';
import { MetricTile } from '../ui';
import { ChangeIndicator } from './ChangeIndicator';
import { DefinitionHelp, DORA_DEFINITIONS } from './definitions';

/**
 * The four DORA metrics, with time to restore next to recovery time; each
 * compared with the previous window of the same length.
 */
export function DoraTiles(props: {
  recordId: string;
  current: DoraMetrics;
  previous: DoraMetrics;
  days: number;
}) {
  const { recordId, current, previous, days } = props;
  return (
    <Grid container spacing={2}>
      {DORA_DEFINITIONS.map(definition => {
        const now = definition.read(current);
        const before = definition.read(previous);
        return (
          <Grid item xs={12} sm={6} md={4} key={definition.key}>
            <MetricTile
              title={definition.title}
              value={now.value}
              tier={definition.thresholds.length ? now.tier : undefined}
              detail={now.detail}
              missing={
                <>
                  {now.reason && `No data: ${now.reason}. `}
                  {definition.howToSend}
                </>
              }
              help={<DefinitionHelp definition={definition} />}
              action={
                <FactListButton
                  kind={definition.list}
                  recordId={recordId}
                  label={definition.listLabel(current)}
                />
              }
              change={
                <ChangeIndicator
                  current={now.comparable}
                  previous={before.comparable}
                  days={days}
                  lowerIsBetter={definition.lowerIsBetter}
                  unit={
                    definition.seriesUnit === 'ratio' ? 'ratio' : 'relative'
                  }
                />
              }
            />
          </Grid>
        );
      })}
    </Grid>
  );
}
