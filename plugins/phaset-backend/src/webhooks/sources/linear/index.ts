import { hmacHeaderCheck } from '../../signing';
import { WebhookSource } from '../../types';
import { adaptLinear } from './adapter';

export const linear: WebhookSource = {
  id: 'linear',
  title: 'Linear',
  detect: headers => Boolean(headers['linear-event']),
  adapt: adaptLinear,
  verifySignature: hmacHeaderCheck('Linear-Signature'),
  deliveryHeaders: ['linear-event', 'linear-delivery'],
  setup: {
    where: 'Settings → API → Webhooks → New webhook; URL: the generated URL',
    events: ['Issues', 'Comments'],
    secret:
      'Signing secret (each delivery carries its HMAC-SHA256 as Linear-Signature)',
  },
};
