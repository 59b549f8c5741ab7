import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import type { Grade } from '@internal/backstage-plugin-phaset-common';

/** Theme colour of each grade; the chip always carries the letter as well. */
function gradeColor(theme: Theme, grade: Grade): string {
  switch (grade) {
    case 'A':
      return theme.palette.success.main;
    case 'B':
      return theme.palette.info.main;
    case 'C':
    case 'D':
      return theme.palette.warning.main;
    default:
      return theme.palette.error.main;
  }
}

const useStyles = makeStyles<Theme, { grade: Grade; large: boolean }>(
  theme => ({
    chip: ({ grade, large }) => {
      const background = gradeColor(theme, grade);
      return {
        backgroundColor: background,
        color: theme.palette.getContrastText(background),
        fontWeight: theme.typography.fontWeightBold as number,
        margin: 0,
        ...(large && { fontSize: '1.4rem', height: 40, minWidth: 40 }),
      };
    },
  }),
);

/** A Health Score grade, A to F, as a coloured chip. */
export function GradeChip(props: { grade: Grade; large?: boolean }) {
  const { grade, large = false } = props;
  const classes = useStyles({ grade, large });
  return (
    <Chip
      size={large ? 'medium' : 'small'}
      label={grade}
      className={classes.chip}
      aria-label={`Grade ${grade}`}
      data-testid="health-grade"
    />
  );
}

/** A grade and its score (rounded), for table cells; a dash without one. */
export function GradeScore(props: {
  health?: { score: number; grade: Grade };
}) {
  const { health } = props;
  if (!health) return <>–</>;
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      <GradeChip grade={health.grade} />
      <Typography variant="body2">{Math.round(health.score)}</Typography>
    </Box>
  );
}
