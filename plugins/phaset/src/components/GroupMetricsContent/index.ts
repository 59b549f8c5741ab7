export { GroupMetricsContent } from './GroupMetricsContent';
