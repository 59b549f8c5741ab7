export { PhasetPage } from './PhasetPage';
export { OverviewContent } from './OverviewContent';
export { IntegrationsContent } from './IntegrationsContent';
