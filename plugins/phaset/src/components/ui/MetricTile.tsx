import Box from '@material-ui/core/Box';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import InfoOutlined from '@material-ui/icons/InfoOutlined';
import type { DoraTier } from '@internal/backstage-plugin-phaset-common';
import type { ReactNode } from 'react';
import { TierChip } from './TierChip';

const useStyles = makeStyles(theme => ({
  card: { height: '100%' },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  title: { fontWeight: theme.typography.fontWeightBold as number },
  info: {
    fontSize: '1.1rem',
    color: theme.palette.text.secondary,
    cursor: 'help',
  },
  value: {
    margin: theme.spacing(1, 0, 0.5),
    fontSize: '1.9rem',
    lineHeight: 1.2,
  },
  missing: {
    margin: theme.spacing(1, 0, 0.5),
    color: theme.palette.text.secondary,
  },
  detail: { color: theme.palette.text.secondary },
}));

export type MetricTileProps = {
  title: string;
  /** The main value, formatted; undefined when the metric has no data. */
  value?: string;
  /** Given for DORA metrics; engineering tiles have no tier. */
  tier?: DoraTier | null;
  /** Secondary facts (percentiles, counts). */
  detail?: ReactNode;
  /** Change against the previous window. */
  change?: ReactNode;
  /** What is missing and how to send it, shown instead of a value. */
  missing?: ReactNode;
  /** Definition and thresholds, behind the info icon. */
  help?: ReactNode;
  /** Opens what the number is made of (the list behind it). */
  action?: ReactNode;
};

/** One metric: its value in human units, tier, change and definition. */
export function MetricTile(props: MetricTileProps) {
  const { title, value, tier, detail, change, missing, help, action } = props;
  const classes = useStyles();
  return (
    <Card className={classes.card} data-testid={`metric-tile-${title}`}>
      <CardContent>
        <div className={classes.header}>
          <Typography
            variant="subtitle2"
            component="h3"
            className={classes.title}
          >
            {title}
          </Typography>
          <Box display="flex" alignItems="center" style={{ gap: 4 }}>
            {tier !== undefined && <TierChip tier={tier} />}
            {help && (
              <Tooltip title={help} arrow>
                <InfoOutlined
                  className={classes.info}
                  aria-label={`About ${title}`}
                  tabIndex={0}
                />
              </Tooltip>
            )}
          </Box>
        </div>
        {value !== undefined ? (
          <Typography className={classes.value} data-testid="metric-value">
            {value}
          </Typography>
        ) : (
          <Typography variant="h6" className={classes.missing}>
            No data
          </Typography>
        )}
        {value !== undefined && detail && (
          <Typography variant="body2" className={classes.detail}>
            {detail}
          </Typography>
        )}
        {value === undefined && missing && (
          <Typography variant="body2" className={classes.detail}>
            {missing}
          </Typography>
        )}
        {change && <Box mt={1}>{change}</Box>}
        {action && <Box mt={1}>{action}</Box>}
      </CardContent>
    </Card>
  );
}
