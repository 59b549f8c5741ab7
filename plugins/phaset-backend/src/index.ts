export { phasetPlugin as default } from './plugin';
export { redactPathTokens, redactedRequestLogging } from './security/redaction';
export {
  createPhasetRecordConditionalDecision,
  phasetRecordConditions,
  phasetRecordResourceRef,
  phasetRecordRules,
} from './permissions/rules';
export { PhasetOwnerPolicy } from './permissions/PhasetOwnerPolicy';
export type {
  PhasetRecordFilter,
  PhasetRecordResource,
} from './permissions/rules';
