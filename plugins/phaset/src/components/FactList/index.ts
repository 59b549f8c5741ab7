export { FactListDrawer } from './FactListDrawer';
export { FactListButton, FactListLink } from './FactListButton';
export { useFactList } from './useFactList';
export type { FactListRequest } from './useFactList';
