import { CopyTextButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  value: {
    fontFamily: 'monospace',
    fontSize: theme.typography.body2.fontSize,
    wordBreak: 'break-all',
    padding: theme.spacing(1, 1.5),
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    flex: 1,
  },
}));

/** A labelled value shown once (URL, token, secret) with a copy button. */
export function CopyField(props: { label: string; value: string }) {
  const { label, value } = props;
  const classes = useStyles();
  return (
    <Box mb={2}>
      <Typography variant="subtitle2" component="div" gutterBottom>
        {label}
      </Typography>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography
          className={classes.value}
          component="code"
          data-testid={`copy-field-${label}`}
        >
          {value}
        </Typography>
        <CopyTextButton text={value} aria-label={`Copy ${label}`} />
      </Box>
    </Box>
  );
}
