import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import type { ReactElement, ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';

/** Colours for recharts from the current theme, so charts read in light and dark. */
export function useChartColors() {
  const theme = useTheme();
  return {
    series: [
      theme.palette.primary.main,
      theme.palette.secondary.main,
      theme.palette.success.main,
      theme.palette.warning.main,
    ],
    pass: theme.palette.success.main,
    warn: theme.palette.warning.main,
    fail: theme.palette.error.main,
    axis: theme.palette.text.secondary,
    grid: theme.palette.divider,
    tooltip: {
      contentStyle: {
        backgroundColor: theme.palette.background.paper,
        border: `1px solid ${theme.palette.divider}`,
        color: theme.palette.text.primary,
      },
      labelStyle: { color: theme.palette.text.primary },
      itemStyle: { color: theme.palette.text.primary },
      cursor: { fill: theme.palette.action.hover },
    },
  };
}

export type ChartCardProps = {
  title: string;
  subheader?: string;
  /** Shown instead of the chart when there is nothing to draw. */
  missing?: ReactNode;
  height?: number;
  children: ReactElement;
};

/** A titled card holding one recharts chart that fills its width. */
export function ChartCard(props: ChartCardProps) {
  const { title, subheader, missing, height = 220, children } = props;
  return (
    <InfoCard title={title} subheader={subheader} noPadding={false}>
      {missing ? (
        <Typography variant="body2" color="textSecondary">
          {missing}
        </Typography>
      ) : (
        <div style={{ width: '100%', height }} data-testid={`chart-${title}`}>
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        </div>
      )}
    </InfoCard>
  );
}
