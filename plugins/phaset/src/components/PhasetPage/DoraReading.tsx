import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { DoraMetrics } from '@internal/backstage-plugin-phaset-common';
import type { DoraDefinition } from '../MetricsContent/definitions';
import { FactListLink } from '../FactList';
import { TierChip } from '../ui';

/** One DORA metric in a table cell: its value in human units over its tier. */
export function DoraReading(props: {
  definition: DoraDefinition;
  dora: DoraMetrics;
  /** Makes the value open the list behind it. */
  recordId?: string;
}) {
  const { definition, dora, recordId } = props;
  const reading = definition.read(dora);
  return (
    <Box
      display="flex"
      flexDirection="column"
      alignItems="flex-start"
      style={{ gap: 4 }}
    >
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
      {definition.thresholds.length > 0 && <TierChip tier={reading.tier} />}
    </Box>
  );
}
