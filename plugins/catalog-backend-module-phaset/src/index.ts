/***/
/**
 * The phaset backend module for the catalog plugin.
 *
 * @packageDocumentation
 */

export { catalogModulePhaset as default } from './module';
