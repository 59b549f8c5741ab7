export * from './format';
export * from './window';
export { TierChip, tierColor } from './TierChip';
export { MetricTile } from './MetricTile';
export type { MetricTileProps } from './MetricTile';
export { ChartCard, useChartColors } from './ChartCard';
export { WindowPicker } from './WindowPicker';
export { usePhasetRecordId, NoRecordState, AsyncContent } from './RecordState';
export {
  useLastDeploymentDay,
  LAST_DEPLOYMENT_DAYS,
} from './useLastDeployment';
export { SimpleTable } from './SimpleTable';
export type { SimpleColumn } from './SimpleTable';
