import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { Request } from 'express';
import { createOpenApiRouter } from '../../schema/openapi';

/** The router typed by the OpenAPI spec: handlers get its params, bodies and answers. */
export type PhasetRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

/** Throws 401 without credentials and 403 when the policy denies `permission`. */
export type Authorize = (
  req: Request<unknown>,
  permission: BasicPermission,
) => Promise<void>;

export function createAuthorize(
  httpAuth: HttpAuthService,
  permissions: PermissionsService,
): Authorize {
  return async (req, permission) => {
    const credentials = await httpAuth.credentials(req as Request, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  };
}

/** The body's bytes as sent, kept by the JSON parser (stored with manifests and results). */
export type RequestWithRawBody = { rawBody?: Buffer };

export function rawText(req: unknown): string {
  return (req as RequestWithRawBody).rawBody?.toString('utf8') ?? '';
}
