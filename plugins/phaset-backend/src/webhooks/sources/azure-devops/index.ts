import { basicAuthPassword, secretsEqual } from '../../signing';
import { hasStringField } from '../../fields';
import { WebhookSource } from '../../types';
import { adaptAzureDevops } from './adapter';

export const azureDevops: WebhookSource = {
  id: 'azure-devops',
  title: 'Azure DevOps',
  // Service hooks send no event header; the event is the body's eventType.
  detect: (_headers, body) => hasStringField(body, 'eventType'),
  adapt: adaptAzureDevops,
  // The secret comes as a header (as Axify documents) or as the basic-auth password.
  verifySignature: (headers, secret) => {
    const sent =
      headers['x-azure-token']?.trim() ??
      basicAuthPassword(headers.authorization);
    if (sent === undefined) return 'missing X-Azure-Token header or basic auth';
    return secretsEqual(sent, secret)
      ? undefined
      : 'X-Azure-Token / basic auth password does not match';
  },
  deliveryHeaders: [],
  setup: {
    where:
      'Project settings → Service hooks → Create subscription → Web Hooks, one subscription per event; URL: the generated URL',
    contentType: 'application/json',
    events: [
      'Code pushed',
      'Pull request created',
      'Pull request merge attempted',
      'Pull request updated',
      'Pull request commented on',
      'Release deployment completed',
      'Work item created',
      'Work item updated',
      'Work item deleted',
      'Work item commented on',
    ],
    secret:
      'HTTP headers: X-Azure-Token: <secret> (or basic authentication with the secret as password)',
  },
};
