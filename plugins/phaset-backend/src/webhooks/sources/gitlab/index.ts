import { secretHeaderCheck } from '../../signing';
import { WebhookSource } from '../../types';
import { adaptGitlab } from './adapter';

export const gitlab: WebhookSource = {
  id: 'gitlab',
  title: 'GitLab',
  detect: headers => Boolean(headers['x-gitlab-event']),
  adapt: adaptGitlab,
  verifySignature: secretHeaderCheck('X-Gitlab-Token'),
  deliveryHeaders: [
    'x-gitlab-event',
    'x-gitlab-event-uuid',
    'x-gitlab-webhook-uuid',
  ],
  setup: {
    where:
      'Project → Settings → Webhooks → Add new webhook; URL: the generated URL',
    events: [
      'Push events',
      'Comments',
      'Issues events',
      'Merge request events',
      'Deployment events',
    ],
    secret: 'Secret token (GitLab sends it as X-Gitlab-Token)',
  },
};
