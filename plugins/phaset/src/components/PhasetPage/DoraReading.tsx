import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { DoraMetrics } from '@internal/backstage-plugin-phaset-common';
import type { DoraDefinition } from '../MetricsContent/definitions';
import { TierChip } from '../ui';

/** One DORA metric in a table cell: its value in human units over its tier. */
export function DoraReading(props: {
  definition: DoraDefinition;
  dora: DoraMetrics;
}) {
  const reading = props.definition.read(props.dora);
  return (
    <Box
      display="flex"
      flexDirection="column"
      alignItems="flex-start"
      style={{ gap: 4 }}
    >
      <Typography
        variant="body2"
        color={reading.value ? 'textPrimary' : 'textSecondary'}
        title={reading.reason}
        noWrap
      >
        {reading.value ?? 'no data'}
      </Typography>
      <TierChip tier={reading.tier} />
    </Box>
  );
}
