import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { isValidRecordId } from '@internal/backstage-plugin-phaset-common';
import express from 'express';
import { createIntegrationEndpointHint } from './integrationEndpointHint';
import { createOpenApiRouter } from '../schema/openapi';
import { BaselineService } from '../services/BaselineService';
import { EventService } from '../services/EventService';
import { HealthService } from '../services/HealthService';
import { MetricListService } from '../services/MetricListService';
import { MetricsService } from '../services/MetricsService';
import { RateLimiter } from '../services/RateLimiter';
import { RecordService } from '../services/RecordService';
import { StandardsService } from '../services/StandardsService';
import { TokenService } from '../services/TokenService';
import { WebhookService } from '../services/WebhookService';
import { createErrorHandler } from '../security/errorHandler';
import { securityMiddleware } from '../security/middleware';
import { registerBaselineRoutes } from './routes/baselines';
import { registerHealthRoutes } from './routes/health';
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
  metricLists: MetricListService;
  health: HealthService;
  webhooks: WebhookService;
  logger: LoggerService;
  /** 408 for a body that has not arrived by then; 0 waits forever. */
  bodyTimeoutMs: number;
};

/**
 * The plugin's routes, typed by src/schema/openapi.yaml. Each module parses
 * and authorises, calls a service with typed input and maps the outcome to a
 * status; every error goes to the handler at the end (src/security: the
 * error's status, every issue of a 400, path tokens masked, no stack).
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = await createOpenApiRouter({
    // Answered before anything else; body parsers come after the validator
    // (below), whose error handler would turn their 413 into a 400.
    middleware: [
      securityMiddleware({ bodyTimeoutMs: options.bodyTimeoutMs }),
      createIntegrationEndpointHint(),
    ],
    validatorOptions: {
      // Routes parse their own input and answer with the documented 400
      // (field-named messages, every issue of a body); the validator's
      // answers differ. The spec is held to the code by the generated types
      // and by the contract test instead.
      validateRequests: false,
      // Integration routes authenticate by a path token, which OpenAPI 3.0
      // cannot describe as a security scheme; the routes check credentials.
      validateSecurity: false,
      // With nothing left to validate, its per-request route lookup (which
      // compiles path patterns on every request until one matches; ~7% of
      // the CPU of an ingested event) would only be spent.
      ignorePaths: () => true,
    },
  });
  // Record ids are 10 letters or digits wherever one is made (config,
  // POST /records, manifests), so any other id in a path is a 400 naming the
  // parameter before a route looks it up; it says nothing about which Records
  // exist.
  for (const name of ['id', 'recordId', 'RECORD_ID']) {
    (router as unknown as express.Router).param(
      name,
      (_req, _res, next, value) => {
        if (!isValidRecordId(value)) {
          throw new InputError(`${name}: a Record id is 10 letters or digits`);
        }
        next();
      },
    );
  }
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
    metricLists,
    health,
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
  registerHealthRoutes(router, { authorize, health });
  registerMetricsRoutes(router, {
    authorize,
    records,
    events,
    metrics,
    metricLists,
  });

  // Every error, with path tokens masked and no stack (src/security).
  router.use(createErrorHandler(options.logger));
  return router;
}
