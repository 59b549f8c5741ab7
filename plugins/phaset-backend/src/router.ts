import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  phasetMetricsRecomputePermission,
  phasetRecordCreatePermission,
  phasetRecordDeletePermission,
  phasetRecordReadPermission,
  phasetTokenManagePermission,
} from '@internal/backstage-plugin-phaset-common';
import express, { ErrorRequestHandler, Request } from 'express';
import Router from 'express-promise-router';
import { createEventRoutes } from './eventRoutes';
import { createIntegrationEndpointHint } from './integrationEndpointHint';
import { BaselineService } from './services/BaselineService';
import { EventService } from './services/EventService';
import { MetricsService, parseWindow } from './services/MetricsService';
import { RateLimiter } from './services/RateLimiter';
import { RecordService } from './services/RecordService';
import { StandardsService } from './services/StandardsService';
import { TokenService } from './services/TokenService';
import { ValidationError } from './services/ValidationError';
import { WebhookService } from './services/WebhookService';

/** Largest accepted request body; bigger ones get 413. */
export const BODY_LIMIT = '1mb';

type RequestWithRawBody = Request & { rawBody?: Buffer };

export type RouterOptions = {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  records: RecordService;
  tokens: TokenService;
  standards: StandardsService;
  baselines: BaselineService;
  rateLimiter: RateLimiter;
  events: EventService;
  metrics: MetricsService;
  webhooks: WebhookService;
};

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, records, tokens, standards, baselines } =
    options;
  const router = Router();
  router.use(createIntegrationEndpointHint());
  // Webhook ingestion reads raw bytes, so it goes before the JSON parser.
  router.use(createEventRoutes(options.events, BODY_LIMIT));
  router.use(
    express.json({
      limit: BODY_LIMIT,
      // Keep the bytes as sent: stored alongside the parsed data.
      verify: (req, _res, buf) => {
        (req as RequestWithRawBody).rawBody = buf;
      },
    }),
  );

  const rawBody = (req: Request) =>
    (req as RequestWithRawBody).rawBody?.toString('utf8') ?? '';

  const authorize = async (req: Request, permission: BasicPermission) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  };

  const openIntegration = async (req: Request) => {
    const { orgId, recordId, token } = req.params;
    options.rateLimiter.take(recordId);
    return records.authenticateIntegration(orgId, recordId, token);
  };

  // Phaset's Integration API: authenticated by the Record's path token only.
  router.post(
    '/integration/record/:orgId/:recordId/:token',
    async (req, res) => {
      const { record } = await openIntegration(req);
      await records.applyManifest(record, req.body, rawBody(req));
      res.json({ recordId: record.id, status: 'updated' });
    },
  );

  router.post(
    '/integration/standards/:orgId/:recordId/:token',
    async (req, res) => {
      const { record } = await openIntegration(req);
      const { baselineId, result } = await standards.submit(
        record,
        req.body,
        rawBody(req),
      );
      res.json({
        recordId: record.id,
        baselineId,
        passes: result.passes,
        warnings: result.warnings,
        failures: result.failures,
      });
    },
  );

  router.get(
    '/integration/baselines/:orgId/:baselineId/:recordId/:token',
    async (req, res) => {
      const { record } = await openIntegration(req);
      res.json(baselines.forIntegration(record, req.params.baselineId).config);
    },
  );

  // REST API for Backstage users and services.
  router.get('/baselines', async (req, res) => {
    await authorize(req, phasetRecordReadPermission);
    res.json({ items: baselines.list() });
  });

  router.post('/records', async (req, res) => {
    await authorize(req, phasetRecordCreatePermission);
    res.status(201).json(await records.create(req.body ?? {}));
  });

  router.get('/records', async (req, res) => {
    await authorize(req, phasetRecordReadPermission);
    const organizationId =
      typeof req.query.organization === 'string'
        ? req.query.organization
        : undefined;
    res.json({ items: await records.list({ organizationId }) });
  });

  router.get('/records/:id', async (req, res) => {
    await authorize(req, phasetRecordReadPermission);
    res.json(await records.get(req.params.id));
  });

  router.delete('/records/:id', async (req, res) => {
    await authorize(req, phasetRecordDeletePermission);
    await records.delete(req.params.id);
    res.status(204).end();
  });

  router.get('/records/:id/standards', async (req, res) => {
    await authorize(req, phasetRecordReadPermission);
    await records.get(req.params.id);
    res.json(await standards.read(req.params.id));
  });

  router.get('/records/:id/baseline', async (req, res) => {
    await authorize(req, phasetRecordReadPermission);
    res.json(baselines.forRecord(await records.get(req.params.id)));
  });

  router.get('/records/:id/tokens', async (req, res) => {
    await authorize(req, phasetTokenManagePermission);
    await records.get(req.params.id);
    res.json({ items: await tokens.list(req.params.id) });
  });

  router.post('/records/:id/tokens', async (req, res) => {
    await authorize(req, phasetTokenManagePermission);
    await records.get(req.params.id);
    res.status(201).json(await tokens.issue(req.params.id, req.body?.name));
  });

  router.patch('/records/:id/tokens/:tokenId', async (req, res) => {
    await authorize(req, phasetTokenManagePermission);
    res.json(
      await tokens.rename(req.params.id, req.params.tokenId, req.body?.name),
    );
  });

  router.delete('/records/:id/tokens/:tokenId', async (req, res) => {
    await authorize(req, phasetTokenManagePermission);
    await tokens.revoke(req.params.id, req.params.tokenId);
    res.status(204).end();
  });

  // Generated webhooks: tokens with a source, URL and signing secret.
  router.get('/records/:id/webhooks', async (req, res) => {
    await authorize(req, phasetTokenManagePermission);
    res.json({ items: await options.webhooks.list(req.params.id) });
  });

  router.post('/records/:id/webhooks', async (req, res) => {
    await authorize(req, phasetTokenManagePermission);
    res
      .status(201)
      .json(await options.webhooks.create(req.params.id, req.body ?? {}));
  });

  router.patch('/records/:id/webhooks/:webhookId', async (req, res) => {
    await authorize(req, phasetTokenManagePermission);
    const { id, webhookId } = req.params;
    res.json(await options.webhooks.rename(id, webhookId, req.body?.name));
  });

  router.delete('/records/:id/webhooks/:webhookId', async (req, res) => {
    await authorize(req, phasetTokenManagePermission);
    const { id, webhookId } = req.params;
    await options.webhooks.revoke(
      id,
      webhookId,
      req.query.deleteData === 'true',
    );
    res.status(204).end();
  });

  router.get('/records/:id/events', async (req, res) => {
    await authorize(req, phasetRecordReadPermission);
    await records.get(req.params.id);
    res.json({ items: await options.events.listEvents(req.params.id) });
  });

  router.get('/metrics', async (req, res) => {
    await authorize(req, phasetRecordReadPermission);
    const query = (name: string) =>
      typeof req.query[name] === 'string'
        ? (req.query[name] as string)
        : undefined;
    res.json(
      await options.metrics.rollup(
        { organizationId: query('org'), owner: query('owner') },
        parseWindow(req.query, Date.now()),
      ),
    );
  });

  router.get('/metrics/:recordId', async (req, res) => {
    await authorize(req, phasetRecordReadPermission);
    res.json(
      await options.metrics.forRecord(
        req.params.recordId,
        parseWindow(req.query, Date.now()),
      ),
    );
  });

  router.get('/metrics/:recordId/series', async (req, res) => {
    await authorize(req, phasetRecordReadPermission);
    res.json(
      await options.metrics.series(
        req.params.recordId,
        req.query.metric,
        req.query.interval ?? 'week',
        parseWindow(req.query, Date.now()),
      ),
    );
  });

  router.post('/records/:id/events/recompute', async (req, res) => {
    await authorize(req, phasetMetricsRecomputePermission);
    await records.get(req.params.id);
    res.json(await options.events.recompute(req.params.id));
  });

  // Validation errors list every issue; other errors go to Backstage's handler.
  const validationErrors: ErrorRequestHandler = (error, req, res, next) => {
    if (!(error instanceof ValidationError)) {
      next(error);
      return;
    }
    res.status(400).json({
      error: { name: error.name, message: error.message },
      issues: error.issues,
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: 400 },
    });
  };
  router.use(validationErrors);

  return router;
}
