import { DateTime } from 'luxon';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { SeriesInterval } from '../../api';
import {
  formatDuration,
  formatNumber,
  formatPercent,
  useChartColors,
} from '../ui';

export type ValueUnit = 'count' | 'ratio' | 'seconds' | 'lines';

/** A bucket of a chart: its start and one value per series key. */
export type ChartRow = { from: string } & Record<
  string,
  number | null | string
>;

export function bucketLabel(from: string, interval: SeriesInterval): string {
  const date = DateTime.fromISO(from, { zone: 'utc' });
  return interval === 'month'
    ? date.toFormat('LLL yyyy')
    : date.toFormat('d LLL');
}

export function formatValue(value: number, unit: ValueUnit): string {
  switch (unit) {
    case 'seconds':
      return formatDuration(value);
    case 'ratio':
      return formatPercent(value);
    case 'lines':
      return `${Math.round(value)} lines`;
    default:
      return formatNumber(value);
  }
}

/**
 * Values are plotted in the unit the axis reads (hours or days, percent) so
 * that recharts picks round ticks; tooltips format the original value.
 */
function axisScale(unit: ValueUnit, max: number) {
  if (unit === 'seconds') {
    return max >= 172_800
      ? { factor: 86_400, suffix: ' d' }
      : { factor: 3_600, suffix: ' h' };
  }
  if (unit === 'ratio') {
    return { factor: 0.01, suffix: ' %' };
  }
  return { factor: 1, suffix: '' };
}

/**
 * One or more series over the window's buckets: bars for counts, lines for
 * durations and ratios. Missing buckets stay gaps, never zeros.
 */
export function SeriesChart(props: {
  rows: ChartRow[];
  series: Array<{ key: string; name: string }>;
  unit: ValueUnit;
  interval: SeriesInterval;
  kind: 'bar' | 'line';
  /** Called with the bucket a person clicks, to open what it is made of. */
  onSelect?: (row: ChartRow) => void;
  /** Set by recharts' ResponsiveContainer, which clones its child with them. */
  width?: number;
  height?: number;
}) {
  const { rows, series, unit, interval, kind, onSelect, width, height } = props;
  const colors = useChartColors();
  const max = Math.max(
    0,
    ...rows.flatMap(row =>
      series.map(s =>
        typeof row[s.key] === 'number' ? (row[s.key] as number) : 0,
      ),
    ),
  );
  const scale = axisScale(unit, max);
  const data = rows.map(row => ({
    ...row,
    ...Object.fromEntries(
      series.map(({ key }) => {
        const value = row[key];
        return [key, typeof value === 'number' ? value / scale.factor : value];
      }),
    ),
    label: bucketLabel(row.from, interval),
  }));
  const common = {
    data,
    width,
    height,
    margin: { top: 8, right: 16, bottom: 0, left: 0 },
    ...(onSelect && {
      onClick: (state: { activeTooltipIndex?: number } | null) => {
        const index = state?.activeTooltipIndex;
        if (index !== undefined && rows[index]) onSelect(rows[index]);
      },
      style: { cursor: 'pointer' },
    }),
  };
  const axes = [
    <CartesianGrid key="grid" stroke={colors.grid} strokeDasharray="3 3" />,
    <XAxis
      key="x"
      dataKey="label"
      stroke={colors.axis}
      tick={{ fill: colors.axis, fontSize: 12 }}
    />,
    <YAxis
      key="y"
      stroke={colors.axis}
      tick={{ fill: colors.axis, fontSize: 12 }}
      tickFormatter={(v: number) => `${formatNumber(v)}${scale.suffix}`}
      allowDecimals={unit !== 'count'}
      width={56}
    />,
    <Tooltip
      key="tooltip"
      {...colors.tooltip}
      formatter={(value: number) => formatValue(value * scale.factor, unit)}
    />,
  ];
  const legend = series.length > 1 ? <Legend /> : null;
  if (kind === 'bar') {
    return (
      <BarChart {...common}>
        {axes}
        {legend}
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.name}
            fill={colors.series[i % colors.series.length]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    );
  }
  return (
    <LineChart {...common}>
      {axes}
      {legend}
      {series.map((s, i) => (
        <Line
          key={s.key}
          dataKey={s.key}
          name={s.name}
          type="monotone"
          stroke={colors.series[i % colors.series.length]}
          strokeWidth={2}
          dot={{ r: 3 }}
          connectNulls={false}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}
