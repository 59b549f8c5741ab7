export { phasetApiRef } from './PhasetApi';
export type { PhasetApi } from './PhasetApi';
export { PhasetClient } from './PhasetClient';
export * from './types';
