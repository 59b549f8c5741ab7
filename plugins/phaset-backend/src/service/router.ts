import express, { ErrorRequestHandler } from 'express';
import { createIntegrationEndpointHint } from '../integrationEndpointHint';
import { createOpenApiRouter } from '../schema/openapi';
import { BaselineService } from '../services/BaselineService';
import { EventService } from '../services/EventService';
import { MetricsService } from '../services/MetricsService';
import { RateLimiter } from '../services/RateLimiter';
import { RecordService } from '../services/RecordService';
import { StandardsService } from '../services/StandardsService';
import { TokenService } from '../services/TokenService';
import { ValidationError } from '../services/ValidationError';
import { WebhookService } from '../services/WebhookService';
import { registerBaselineRoutes } from './routes/baselines';
import { readIngestBodyAsBytes, registerIngestRoutes } from './routes/ingest';
import { registerIntegrationRoutes } from './routes/integration';
import { registerMetricsRoutes } from './routes/metrics';
import { registerRecordRoutes } from './routes/records';
import { Authorize, RequestWithRawBody } from './routes/types';
import { registerWebhookRoutes } from './routes/webhooks';

/** Largest accepted request body; bigger ones get 413. */
export const BODY_LIMIT = '1mb';

export type RouterOptions = {
  authorize: Authorize;
  records: RecordService;
  tokens: TokenService;
  standards: StandardsService;
  baselines: BaselineService;
  rateLimiter: RateLimiter;
  events: EventService;
  metrics: MetricsService;
  webhooks: WebhookService;
};

/**
 * The plugin's routes, typed by src/schema/openapi.yaml. Each module parses
 * and authorises, calls a service with typed input and maps the outcome to a
 * status; errors go to the handler below (400 with every issue) or to
 * Backstage's (the statusCode of the error).
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = await createOpenApiRouter({
    // Answered before anything else; body parsers come after the validator
    // (below), whose error handler would turn their 413 into a 400.
    middleware: [createIntegrationEndpointHint()],
    validatorOptions: {
      // Routes parse their own input and answer with the documented 400
      // (field-named messages, every issue of a body); the validator's
      // answers differ. The spec is held to the code by the generated types
      // and by the contract test instead.
      validateRequests: false,
      // Integration routes authenticate by a path token, which OpenAPI 3.0
      // cannot describe as a security scheme; the routes check credentials.
      validateSecurity: false,
    },
  });
  router.use(readIngestBodyAsBytes(BODY_LIMIT));
  router.use(
    express.json({
      limit: BODY_LIMIT,
      // Keep the bytes as sent: stored alongside the parsed data.
      verify: (req, _res, buf) => {
        (req as RequestWithRawBody).rawBody = buf;
      },
    }),
  );

  const {
    authorize,
    records,
    tokens,
    standards,
    baselines,
    events,
    metrics,
    webhooks,
  } = options;
  registerIntegrationRoutes(router, {
    records,
    standards,
    baselines,
    rateLimiter: options.rateLimiter,
  });
  registerIngestRoutes(router, { events });
  registerRecordRoutes(router, { authorize, records, standards, tokens });
  registerWebhookRoutes(router, { authorize, webhooks });
  registerBaselineRoutes(router, { authorize, baselines, records });
  registerMetricsRoutes(router, { authorize, records, events, metrics });

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
