import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import { EventService, IngestResponse } from './services/EventService';

/**
 * Webhook ingestion routes. They read the body as bytes, whatever its
 * Content-Type (DevLake's documented curl sends form-encoded JSON), so the
 * signature is checked on exactly what was sent before anything is parsed.
 */
export function createEventRoutes(
  events: EventService,
  bodyLimit: string,
): express.Router {
  const router = Router();
  router.use(
    ['/integration/event', '/devlake'],
    express.raw({ type: () => true, limit: bodyLimit }),
  );
  const raw = (req: Request) =>
    Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const reply = (res: Response, { status, body }: IngestResponse) =>
    res.status(status).json(body);

  router.post(
    '/integration/event/:orgId/:recordId/:token',
    async (req, res) => {
      const { orgId, recordId, token } = req.params;
      reply(
        res,
        await events.ingestEvent({
          organizationId: orgId,
          recordId,
          token,
          headers: req.headers,
          raw: raw(req),
        }),
      );
    },
  );

  // DevLake's endpoints, with the token as Authorization: Bearer (or basic
  // auth password), or as a path segment for tools that cannot set headers.
  const devlake =
    (
      endpoint: (
        req: Request,
      ) => Parameters<EventService['ingestDevlake']>[0]['endpoint'],
    ) =>
    async (req: Request, res: Response) => {
      reply(
        res,
        await events.ingestDevlake({
          recordId: req.params.recordId,
          pathToken: req.params.token,
          endpoint: endpoint(req),
          headers: req.headers,
          raw: raw(req),
        }),
      );
    };
  for (const prefix of ['/devlake/:recordId', '/devlake/:recordId/:token']) {
    router.post(
      `${prefix}/deployments`,
      devlake(() => ({ kind: 'deployments' })),
    );
    router.post(
      `${prefix}/issues`,
      devlake(() => ({ kind: 'issues' })),
    );
    router.post(
      `${prefix}/issue/:issueKey/close`,
      devlake(req => ({ kind: 'close', issueKey: req.params.issueKey })),
    );
  }
  return router;
}
