import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import type { TimeWindow } from '../../api';
import { formatDate } from './format';
import { WINDOW_CHOICES, WindowDays } from './window';

const useStyles = makeStyles(theme => ({
  choice: {
    color: theme.palette.text.primary,
    textTransform: 'none',
    '&$selected, &$selected:hover': {
      color: theme.palette.primary.contrastText,
      backgroundColor: theme.palette.primary.main,
    },
  },
  selected: {},
}));

/** 7 / 30 / 90 / 180 / 365 days, with the dates the window covers. */
export function WindowPicker(props: {
  days: WindowDays;
  window: TimeWindow;
  onChange: (days: WindowDays) => void;
}) {
  const { days, window, onChange } = props;
  const classes = useStyles();
  // The window ends at the next midnight (exclusive): show the last day in it.
  const lastDay = new Date(window.to.getTime() - 1);
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 16 }}>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={days}
        aria-label="Time window"
        onChange={(_event, value: WindowDays | null) =>
          value && onChange(value)
        }
      >
        {WINDOW_CHOICES.map(choice => (
          <ToggleButton
            classes={{ root: classes.choice, selected: classes.selected }}
            key={choice}
            value={choice}
            aria-label={`${choice} days`}
          >
            {choice} days
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="window-range"
      >
        {formatDate(window.from)} – {formatDate(lastDay)} (UTC days)
      </Typography>
    </Box>
  );
}
