import { RequestHandler } from 'express';

/** What stands in for a secret path segment. */
export const REDACTED = '***';

/**
 * Leading path segments of each path-token route that are not secret; every
 * later segment is masked, so that a token sent in the wrong place (an extra
 * segment) is masked too. The last one is the Record id, kept only when it
 * looks like one (a token sent without the Record id is masked).
 */
const PUBLIC_SEGMENTS: Record<string, number> = {
  record: 2, // {org}/{record}
  standards: 2,
  event: 2,
  baselines: 3, // {org}/{baseline}/{record}
};

const RECORD_ID = /^[A-Za-z0-9]{10}$/;

/** DevLake paths without a token: /devlake/{record}/deployments, issues, issue/{key}/close. */
const DEVLAKE_ENDPOINTS = new Set(['deployments', 'issues', 'issue']);

/**
 * Masks the webhook tokens of the integration and DevLake routes in a URL
 * (with or without the `/api/phaset` mount point), keeping the query.
 */
export function redactPathTokens(url: string): string {
  const queryAt = url.search(/[?#]/);
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const rest = queryAt === -1 ? '' : url.slice(queryAt);
  const segments = path.split('/');
  const mount = segments.findIndex(
    (segment, i) =>
      (segment === 'integration' || segment === 'devlake') &&
      (i === 1 ||
        (i === 3 && segments[1] === 'api' && segments[2] === 'phaset')),
  );
  if (mount === -1) {
    return url;
  }
  if (segments[mount] === 'devlake') {
    // /devlake/{record}/{token}/...: the token is the segment after the Record.
    if (mount + 1 < segments.length && !RECORD_ID.test(segments[mount + 1])) {
      segments[mount + 1] = REDACTED;
    }
    const token = mount + 2;
    if (token < segments.length && !DEVLAKE_ENDPOINTS.has(segments[token])) {
      segments[token] = REDACTED;
    }
    return segments.join('/') + rest;
  }
  const kept = PUBLIC_SEGMENTS[segments[mount + 1]] ?? 0;
  const recordAt = mount + 1 + kept;
  for (let i = mount + 2; i < segments.length; i++) {
    const secret =
      i > recordAt || (i === recordAt && !RECORD_ID.test(segments[i]));
    if (secret && segments[i] !== '') {
      segments[i] = REDACTED;
    }
  }
  return segments.join('/') + rest;
}

/**
 * Wraps Backstage's access-log middleware (`middleware.logging()` of the root
 * HTTP router) so that it logs URLs with their path tokens masked.
 */
export function redactedRequestLogging(
  logging: RequestHandler,
): RequestHandler {
  return (req, res, next) => {
    const url = req.originalUrl ?? req.url;
    const masked = redactPathTokens(url);
    if (masked === url) {
      logging(req, res, next);
      return;
    }
    // The middleware reads the URL when the answer is finished; it sees a
    // view of the request with the masked URL, handlers see the real one.
    const view = Object.create(req, {
      originalUrl: { value: masked },
      url: { value: masked },
    });
    logging(view, res, next);
  };
}
