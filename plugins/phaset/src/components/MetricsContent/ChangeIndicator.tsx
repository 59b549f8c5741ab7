import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import TrendingDown from '@material-ui/icons/TrendingDown';
import TrendingFlat from '@material-ui/icons/TrendingFlat';
import TrendingUp from '@material-ui/icons/TrendingUp';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    color: theme.palette.text.secondary,
  },
  better: { color: theme.palette.success.main },
  worse: { color: theme.palette.error.main },
  icon: { fontSize: '1.1rem' },
}));

/**
 * The change of a metric against the previous window of the same length; the
 * words "better"/"worse" carry the meaning, the colour only repeats it.
 */
export function ChangeIndicator(props: {
  current?: number;
  previous?: number;
  days: number;
  lowerIsBetter: boolean;
  /** Ratios change in percentage points, other values in percent. */
  unit: 'ratio' | 'relative';
}) {
  const { current, previous, days, lowerIsBetter, unit } = props;
  const classes = useStyles();
  const span = `previous ${days} days`;
  if (current === undefined) {
    return null;
  }
  if (previous === undefined) {
    return (
      <Typography variant="caption" className={classes.root}>
        No data in the {span}
      </Typography>
    );
  }
  const delta = current - previous;
  if (delta === 0) {
    return (
      <Typography variant="caption" className={classes.root}>
        <TrendingFlat className={classes.icon} /> Same as the {span}
      </Typography>
    );
  }
  let amount: string;
  if (unit === 'ratio') {
    amount = `${Math.abs(Math.round(delta * 1000) / 10)} pp`;
  } else if (previous === 0) {
    amount = `up from 0`;
  } else {
    amount = `${Math.round(Math.abs(delta / previous) * 100)} %`;
  }
  const better = lowerIsBetter ? delta < 0 : delta > 0;
  const Icon = delta > 0 ? TrendingUp : TrendingDown;
  const direction = delta > 0 ? '+' : '−';
  return (
    <Typography
      variant="caption"
      className={`${classes.root} ${better ? classes.better : classes.worse}`}
      data-testid="metric-change"
    >
      <Icon className={classes.icon} />
      {previous === 0 && unit !== 'ratio'
        ? amount
        : `${direction}${amount}`} vs {span} ({better ? 'better' : 'worse'})
    </Typography>
  );
}
