/**
 * Common functionalities for the phaset plugin.
 *
 * @packageDocumentation
 */

export * from './manifest';
export * from './standards';
export * from './baseline';
export * from './validation';
export * from './permissions';
export * from './annotations';
export * from './timestamps';
export * from './events';
export * from './recordEvents';
export * from './metrics';
export * from './limits';
export * from './health';
export * from './paging';
export * from './client';
