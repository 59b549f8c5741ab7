import { hmacHeaderCheck } from '../../signing';
import { WebhookSource } from '../../types';
import { adaptBitbucket } from './adapter';

export const bitbucket: WebhookSource = {
  id: 'bitbucket',
  title: 'Bitbucket Cloud',
  detect: headers => Boolean(headers['x-event-key']),
  adapt: adaptBitbucket,
  verifySignature: hmacHeaderCheck('X-Hub-Signature', 'sha256='),
  deliveryHeaders: ['x-event-key', 'x-request-uuid', 'x-hook-uuid'],
  setup: {
    where:
      'Repository settings → Webhooks → Add webhook; URL: the generated URL',
    events: [
      'Repository: Push',
      'Pull request: Created, Approved, Changes request created, Merged, Declined, Comment created',
      'Issue: Created, Updated, Comment created',
    ],
    secret: 'Secret (Bitbucket signs each delivery: X-Hub-Signature)',
  },
};
