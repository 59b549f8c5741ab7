import { hmacHeaderCheck } from '../../signing';
import { WebhookSource } from '../../types';
import { adaptGithub } from './adapter';

export const github: WebhookSource = {
  id: 'github',
  title: 'GitHub',
  detect: headers => Boolean(headers['x-github-event']),
  adapt: adaptGithub,
  verifySignature: hmacHeaderCheck('X-Hub-Signature-256', 'sha256='),
  deliveryHeaders: ['x-github-event', 'x-github-delivery', 'x-github-hook-id'],
  setup: {
    where:
      'Repository (or organization) → Settings → Webhooks → Add webhook; Payload URL: the generated URL',
    contentType: 'application/json',
    events: [
      'Pushes',
      'Deployment statuses',
      'Issues',
      'Issue comments',
      'Pull requests',
      'Pull request reviews',
      'Pull request review comments',
    ],
    secret: 'Secret (GitHub signs each delivery: X-Hub-Signature-256)',
  },
};
