import { LoggerService } from '@backstage/backend-plugin-api';
import { ErrorRequestHandler } from 'express';
import { redactPathTokens } from './redaction';

/** Names of @backstage/errors' classes and the status each stands for. */
const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  ValidationError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotModifiedError: 304,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

function statusOf(error: any): number {
  for (const field of ['statusCode', 'status']) {
    const status = error?.[field];
    if (Number.isInteger(status) && status >= 400 && status <= 599) {
      return status;
    }
  }
  return STATUS_BY_NAME[error?.name] ?? 500;
}

/**
 * The plugin's error answers, in Backstage's shape (`error`, `request`,
 * `response`), but with path tokens masked in `request.url`, never a stack
 * trace or file path, a generic message for server errors (logged in full
 * here, with the masked URL), every validation issue of a 400, and
 * `Retry-After` on a 429.
 */
export function createErrorHandler(logger: LoggerService): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const statusCode = statusOf(error);
    const url = redactPathTokens(req.originalUrl ?? req.url);
    let name = typeof error?.name === 'string' ? error.name : 'Error';
    let message = String(error?.message ?? error);
    if (statusCode >= 500) {
      logger.error(
        `${req.method} ${url} failed with status ${statusCode}`,
        error instanceof Error ? error : new Error(message),
      );
      name = 'Error';
      message = 'An internal error occurred';
    } else if (statusCode === 400 && error?.type === 'entity.parse.failed') {
      // body-parser's own wording.
      message = `Malformed JSON body: ${message}`;
    }
    const retryAfter = error?.retryAfterSeconds;
    if (statusCode === 429 && Number.isFinite(retryAfter)) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
    }
    res.status(statusCode).json({
      error: { name, message },
      ...(Array.isArray(error?.issues) ? { issues: error.issues } : {}),
      request: { method: req.method, url },
      response: { statusCode },
    });
  };
}
