import express, { Request, Response } from 'express';
import {
  DevlakeEndpoint,
  EventService,
  IngestOutcome,
} from '../../services/EventService';
import { PhasetRouter } from './types';

/** Paths whose body is read as bytes (see readIngestBodyAsBytes). */
const INGEST_PATHS = /^\/(integration\/event|devlake)\//;

/**
 * Webhook ingestion reads the body as bytes, whatever its Content-Type
 * (DevLake's documented curl sends form-encoded JSON), so that a signature is
 * checked on exactly what was sent before anything is parsed. Goes before the
 * JSON parser, which then leaves the body alone.
 */
export function readIngestBodyAsBytes(bodyLimit: string): express.Handler {
  const raw = express.raw({ type: () => true, limit: bodyLimit });
  return (req, res, next) =>
    INGEST_PATHS.test(req.path) ? raw(req, res, next) : next();
}

const bytes = (req: Request<unknown>) =>
  Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);

// Stored (some events may be duplicates): 200; ignored: 202.
const reply = (res: Response, outcome: IngestOutcome) =>
  res.status('ignored' in outcome ? 202 : 200).json(outcome);

/** The event endpoint of the Integration API and DevLake's incoming webhook. */
export function registerIngestRoutes(
  router: PhasetRouter,
  deps: { events: EventService },
) {
  const { events } = deps;

  router.post(
    '/integration/event/:ORG_ID/:RECORD_ID/:WEBHOOK_TOKEN',
    async (req, res) => {
      reply(
        res,
        await events.ingestEvent({
          organizationId: req.params.ORG_ID,
          recordId: req.params.RECORD_ID,
          token: req.params.WEBHOOK_TOKEN,
          headers: req.headers,
          raw: bytes(req),
        }),
      );
    },
  );

  // DevLake's endpoints, with the token as Authorization: Bearer (or basic
  // auth password), or as a path segment for tools that cannot set headers.
  const devlake =
    (endpoint: DevlakeEndpoint) =>
    async (
      req: Request<{ recordId: string; token?: string }>,
      res: Response,
    ) => {
      reply(
        res,
        await events.ingestDevlake({
          recordId: req.params.recordId,
          pathToken: req.params.token,
          endpoint,
          headers: req.headers,
          raw: bytes(req),
        }),
      );
    };
  const close = (
    req: Request<{ recordId: string; token?: string; issueKey: string }>,
    res: Response,
  ) => devlake({ kind: 'close', issueKey: req.params.issueKey })(req, res);

  router.post(
    '/devlake/:recordId/deployments',
    devlake({ kind: 'deployments' }),
  );
  router.post('/devlake/:recordId/issues', devlake({ kind: 'issues' }));
  router.post('/devlake/:recordId/issue/:issueKey/close', close);
  router.post(
    '/devlake/:recordId/:token/deployments',
    devlake({ kind: 'deployments' }),
  );
  router.post('/devlake/:recordId/:token/issues', devlake({ kind: 'issues' }));
  router.post('/devlake/:recordId/:token/issue/:issueKey/close', close);
}
