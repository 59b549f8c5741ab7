import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { DoraMetrics } from '@internal/backstage-plugin-phaset-common';
import type { DoraDefinition } from '../MetricsContent/definitions';
import { FactListLink } from '../FactList';
import { TierChip } from '../ui';

/**
 * One DORA metric in a table cell: its value in human units and its tier,
 * stacked (`column`) or tier first on one line (`row`); with `recordId` the
 * value opens the list behind it.
 */
export function DoraReading(props: {
  definition: DoraDefinition;
  dora: DoraMetrics;
  recordId?: string;
  direction?: 'row' | 'column';
}) {
  const { definition, dora, recordId, direction = 'column' } = props;
  const reading = definition.read(dora);
  const tier = definition.thresholds.length > 0 && (
    <TierChip tier={reading.tier} />
  );
  return (
    <Box
      display="flex"
      flexDirection={direction}
      alignItems={direction === 'row' ? 'center' : 'flex-start'}
      style={{ gap: direction === 'row' ? 8 : 4 }}
    >
      {direction === 'row' && tier}
      {recordId && reading.value ? (
        <FactListLink
          kind={definition.list}
          recordId={recordId}
          label={definition.listLabel(dora)}
        >
          {reading.value}
        </FactListLink>
      ) : (
        <Typography
          variant="body2"
          color={reading.value ? 'textPrimary' : 'textSecondary'}
          title={reading.reason}
          noWrap
        >
          {reading.value ?? 'no data'}
        </Typography>
      )}
      {direction === 'column' && tier}
    </Box>
  );
}
