import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import type { DoraTier } from '@internal/backstage-plugin-phaset-common';

const TIER_LABEL: Record<DoraTier, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** Theme colour of each tier; the chip always carries the word as well. */
export function tierColor(theme: Theme, tier: DoraTier): string {
  switch (tier) {
    case 'elite':
      return theme.palette.success.main;
    case 'high':
      return theme.palette.info.main;
    case 'medium':
      return theme.palette.warning.main;
    default:
      return theme.palette.error.main;
  }
}

const useStyles = makeStyles<Theme, { tier: DoraTier }>(theme => ({
  chip: ({ tier }) => {
    const background = tierColor(theme, tier);
    return {
      backgroundColor: background,
      color: theme.palette.getContrastText(background),
      fontWeight: theme.typography.fontWeightBold as number,
      margin: 0,
    };
  },
}));

function FilledTierChip({ tier }: { tier: DoraTier }) {
  const classes = useStyles({ tier });
  return (
    <Chip
      size="small"
      label={TIER_LABEL[tier]}
      className={classes.chip}
      aria-label={`Tier: ${TIER_LABEL[tier]}`}
    />
  );
}

/** A DORA tier as a coloured chip with its word; "No tier" when there is none. */
export function TierChip({ tier }: { tier: DoraTier | null }) {
  if (!tier) {
    return (
      <Chip
        size="small"
        variant="outlined"
        label="No tier"
        style={{ margin: 0 }}
      />
    );
  }
  return <FilledTierChip tier={tier} />;
}
