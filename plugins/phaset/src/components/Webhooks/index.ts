export { RecordWebhooks } from './RecordWebhooks';
export { GenerateWebhookDialog } from './GenerateWebhookDialog';
export { RevokeWebhookDialog } from './RevokeWebhookDialog';
export { CopyField } from './CopyField';
export { actionErrorMessage } from './actionError';
export { EntityWebhooksContent } from './EntityWebhooksContent';
