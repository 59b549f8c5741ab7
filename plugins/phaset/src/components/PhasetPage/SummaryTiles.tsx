import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { TierChip } from '../ui';
import { OverviewRow, tierCounts, TIERS } from './overview';

/** Per DORA metric: how many Records sit in each tier and how many have no data. */
export function SummaryTiles({ rows }: { rows: OverviewRow[] }) {
  return (
    <Grid container spacing={2}>
      {tierCounts(rows).map(({ definition, counts }) => (
        <Grid item xs={12} sm={6} lg={3} key={definition.key}>
          <InfoCard
            title={definition.title}
            titleTypographyProps={{ variant: 'h6' }}
          >
            <Box
              display="grid"
              style={{ gridTemplateColumns: 'auto 1fr', gap: 8 }}
              data-testid={`tier-summary-${definition.key}`}
              alignItems="center"
            >
              {TIERS.map(tier => (
                <Box key={tier} display="contents">
                  <TierChip tier={tier} />
                  <Typography variant="body2">
                    {counts[tier]} Record{counts[tier] === 1 ? '' : 's'}
                  </Typography>
                </Box>
              ))}
              <TierChip tier={null} />
              <Typography variant="body2" color="textSecondary">
                {counts.none} without data
              </Typography>
            </Box>
          </InfoCard>
        </Grid>
      ))}
    </Grid>
  );
}
