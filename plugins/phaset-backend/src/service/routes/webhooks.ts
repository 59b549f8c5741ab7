import {
  phasetRecordReadPermission,
  phasetTokenManagePermission,
} from '@internal/backstage-plugin-phaset-common';
import { WebhookService } from '../../services/WebhookService';
import { describeWebhookSources } from '../../webhooks/registry';
import { bodyObject, parsePage } from './parse';
import { Authorize, PhasetRouter } from './types';

/** Generated webhooks: tokens with a source, URL and signing secret. */
export function registerWebhookRoutes(
  router: PhasetRouter,
  deps: { authorize: Authorize; webhooks: WebhookService },
) {
  const { authorize, webhooks } = deps;

  router.get('/webhooks/sources', async (req, res) => {
    await authorize.condition(req, phasetRecordReadPermission);
    res.json({ items: describeWebhookSources() });
  });

  router.get('/records/:id/webhooks', async (req, res) => {
    await authorize.record(req, phasetTokenManagePermission, req.params.id);
    res.json(await webhooks.list(req.params.id, parsePage(req.query)));
  });

  router.post('/records/:id/webhooks', async (req, res) => {
    await authorize.record(req, phasetTokenManagePermission, req.params.id);
    const { name, source } = bodyObject(req.body);
    res
      .status(201)
      .json(await webhooks.create(req.params.id, { name, source }));
  });

  router.patch('/records/:id/webhooks/:webhookId', async (req, res) => {
    await authorize.record(req, phasetTokenManagePermission, req.params.id);
    const { id, webhookId } = req.params;
    res.json(await webhooks.rename(id, webhookId, bodyObject(req.body).name));
  });

  router.delete('/records/:id/webhooks/:webhookId', async (req, res) => {
    await authorize.record(req, phasetTokenManagePermission, req.params.id);
    const { id, webhookId } = req.params;
    await webhooks.revoke(id, webhookId, req.query.deleteData === 'true');
    res.status(204).end();
  });
}
