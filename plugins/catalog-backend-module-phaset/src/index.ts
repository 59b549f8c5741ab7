/**
 * Phaset Records in the Backstage catalog: the manifest mapping, a processor
 * for phaset.manifest.json in repositories and an entity provider for
 * Records pushed from CI.
 *
 * @packageDocumentation
 */

export { catalogModulePhaset as default } from './module';
export * from './mapping';
export * from './config';
export {
  ANNOTATION_PHASET_MANIFEST,
  PhasetManifestProcessor,
} from './catalog/PhasetManifestProcessor';
export type { PhasetManifestProcessorOptions } from './catalog/PhasetManifestProcessor';
export { PhasetRecordEntityProvider } from './catalog/PhasetRecordEntityProvider';
export type { PhasetRecordEntityProviderOptions } from './catalog/PhasetRecordEntityProvider';
export { PhasetRecordIndex } from './records/PhasetRecordIndex';
export { createPhasetRecordReader } from './records/recordReader';
export type { CatalogRecord, PhasetRecordReader } from './records/recordReader';
export { mergeManifestComponent } from './records/mergeEntity';
export {
  PHASET_SYSTEM_LOCATION_KEY,
  phasetRefreshKey,
  pushedRecordEntities,
} from './records/recordEntities';
export {
  deriveRecordId,
  locationSeed,
  recordIdForEntity,
  recordIdForLocation,
} from './records/recordIds';
