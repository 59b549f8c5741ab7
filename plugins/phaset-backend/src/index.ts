export { phasetPlugin as default } from './plugin';
export { redactPathTokens, redactedRequestLogging } from './security/redaction';
