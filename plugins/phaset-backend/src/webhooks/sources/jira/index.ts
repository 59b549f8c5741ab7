import { hasStringField } from '../../fields';
import { hmacHeaderCheck } from '../../signing';
import { WebhookSource } from '../../types';
import { adaptJira } from './adapter';

export const jira: WebhookSource = {
  id: 'jira',
  title: 'Jira Cloud',
  // No event header; the event is the body's webhookEvent.
  detect: (_headers, body) => hasStringField(body, 'webhookEvent'),
  adapt: adaptJira,
  verifySignature: hmacHeaderCheck('X-Hub-Signature', 'sha256='),
  deliveryHeaders: [],
  setup: {
    where:
      'Settings → System → WebHooks → Create a WebHook; URL: the generated URL',
    events: ['Issue: created, updated, deleted', 'Comment: created'],
    secret: 'Secret (Jira signs each delivery: X-Hub-Signature)',
  },
};
