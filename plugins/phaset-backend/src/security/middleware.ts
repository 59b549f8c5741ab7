import { InputError } from '@backstage/errors';
import express, { RequestHandler } from 'express';
import {
  isStorableText,
  NUL_MESSAGE,
} from '@internal/backstage-plugin-phaset-common';

/** Default for `phaset.integration.bodyTimeoutSeconds`. */
export const DEFAULT_BODY_TIMEOUT_SECONDS = 30;

/**
 * Answers 408 and closes the connection when a request's body has not fully
 * arrived within `timeoutMs`, so that a body that never finishes cannot hold
 * a request (and a database-bound handler behind it) open.
 */
export function bodyReadTimeout(timeoutMs: number): RequestHandler {
  return (req, res, next) => {
    if (timeoutMs <= 0 || req.complete) {
      next();
      return;
    }
    const timer = setTimeout(() => {
      if (req.complete || res.headersSent) {
        return;
      }
      res.setHeader('Connection', 'close');
      res.status(408).json({
        error: {
          name: 'RequestTimeoutError',
          message: `The request body did not arrive within ${
            timeoutMs / 1000
          }s`,
        },
        response: { statusCode: 408 },
      });
      res.once('finish', () => req.socket.destroy());
    }, timeoutMs);
    timer.unref();
    const stop = () => clearTimeout(timer);
    req.once('end', stop);
    req.once('close', stop);
    res.once('finish', stop);
    next();
  };
}

function checkText(field: string, value: unknown) {
  if (typeof value === 'string') {
    if (!isStorableText(value)) {
      throw new InputError(`${field}: ${NUL_MESSAGE}`);
    }
  } else if (Array.isArray(value)) {
    value.forEach(v => checkText(field, v));
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      checkText(`${field}.${key}`, v);
    }
  }
}

/**
 * Refuses NUL characters in the path and in query parameters, which no text
 * column of PostgreSQL can hold, with a 400 naming where they were.
 */
export const refuseNulCharacters: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    throw new InputError('path: malformed percent-encoding');
  }
  if (!isStorableText(path)) {
    throw new InputError(`path: ${NUL_MESSAGE}`);
  }
  for (const [name, value] of Object.entries(req.query)) {
    checkText(`query.${name}`, value);
  }
  next();
};

/**
 * Runs first on every request of the plugin: no answer may be cached
 * (several issue a token or a signing secret, all are per caller), bodies
 * must arrive in time, and NUL characters never reach a query.
 */
export function securityMiddleware(options: {
  bodyTimeoutMs: number;
}): express.Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.use(bodyReadTimeout(options.bodyTimeoutMs));
  router.use(refuseNulCharacters);
  return router;
}
