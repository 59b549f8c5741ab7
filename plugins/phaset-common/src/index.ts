/***/
/**
 * Common functionalities for the phaset plugin.
 *
 * @packageDocumentation
 */

/**
 * In this package you might for example declare types that are common
 * between the frontend and backend plugin packages.
 */
export type CommonType = {
  field: string;
};

/**
 * Or you might declare some common constants.
 */
export const COMMON_CONSTANT = 1;
export * from './manifest';
export * from './standards';
export * from './baseline';
export * from './validation';
export * from './permissions';
export * from './annotations';
export * from './timestamps';
export * from './events';
