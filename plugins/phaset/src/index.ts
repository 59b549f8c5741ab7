/**
 * Phaset's Records, Standards and DORA metrics on Backstage entity pages.
 *
 * The default export is the plugin for the new frontend system; the named
 * `phasetPlugin` and `EntityPhaset*` exports are for legacy apps.
 *
 * @packageDocumentation
 */
export { phasetFrontendPlugin as default } from './plugin';
export {
  isPhasetAvailable,
  isGroupEntity,
  isConnectableEntity,
  getPhasetRecordId,
} from './isPhasetAvailable';
export * from './api';
export * from './legacy';
