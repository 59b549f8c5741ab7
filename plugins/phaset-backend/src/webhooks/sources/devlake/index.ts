import { WebhookSource } from '../../types';
import { adaptDevlake } from './adapter';

/**
 * Apache DevLake's incoming webhook. It has routes of its own
 * (`/devlake/{RECORD_ID}/...`) instead of the event route, so nothing is
 * detected; DevLake sends no signature (the token authenticates).
 */
export const devlake: WebhookSource = {
  id: 'devlake',
  title: 'Apache DevLake',
  adapt: adaptDevlake,
  deliveryHeaders: [],
  setup: {
    where:
      'DevLake → Data Integrations → Webhooks → Add a webhook; post to the generated URL followed by /deployments, /issues or /issue/{issueKey}/close (DevLake shows these as curl commands)',
    contentType: 'application/json',
    events: ['deployments', 'issues', 'issue close'],
  },
};
