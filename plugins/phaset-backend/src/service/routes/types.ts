import { RecordAuthorizer } from '../../permissions';
import { createOpenApiRouter } from '../../schema/openapi';

/** The router typed by the OpenAPI spec: handlers get its params, bodies and answers. */
export type PhasetRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

/**
 * Throws 401 without credentials and 403 when the policy denies; applies
 * conditional decisions to the Record of a route, or filters a list by them.
 */
export type Authorize = RecordAuthorizer;

/** The body's bytes as sent, kept by the JSON parser (stored with manifests and results). */
export type RequestWithRawBody = { rawBody?: Buffer };

export function rawText(req: unknown): string {
  return (req as RequestWithRawBody).rawBody?.toString('utf8') ?? '';
}
