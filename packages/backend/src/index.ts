import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { Config } from '@backstage/config';
import { createLifecycleGate } from './lifecycleGate';
import { redactedRequestLogging } from '@internal/backstage-plugin-phaset-backend';

/**
 * Whether the default root logger emits `info`, the level of the per-request
 * access log: the same rule as its level filter (LOG_LEVEL, else
 * backend.logger.level, else info; any override may enable it).
 */
function logsRequests(config: Config): boolean {
  if (config.has('backend.logger.overrides')) {
    return true;
  }
  const level =
    process.env.LOG_LEVEL ||
    config.getOptionalString('backend.logger.level') ||
    'info';
  return !['warn', 'error'].includes(level);
}

const backend = createBackend();

// Backstage's default HTTP stack, except that the access log is not built
// (a formatted line and a winston write per request, then dropped by the
// level filter) when the logger would discard it anyway.
backend.add(
  rootHttpRouterServiceFactory({
    configure({ applyDefaults, middleware, config, lifecycle }) {
      const logging = middleware.logging();
      let enabled = logsRequests(config);
      config.subscribe?.(() => {
        enabled = logsRequests(config);
      });
      // Integration and DevLake URLs carry a Record's token: logged masked.
      const redacted = redactedRequestLogging(logging);
      middleware.logging = () => (req, res, next) =>
        enabled ? redacted(req, res, next) : next();
      // No 404 while starting, no reset request while stopping: see
      // lifecycleGate.ts. It runs just before the rate limiter, so its 503s
      // get the CORS, security headers and access log of every answer.
      const gate = createLifecycleGate({ lifecycle, config });
      const rateLimit = middleware.rateLimit();
      middleware.rateLimit = () => (req, res, next) =>
        gate(req, res, err => (err ? next(err) : rateLimit(req, res, next)));
      applyDefaults();
    },
  }),
);

backend.add(import('@backstage/plugin-app-backend'));

// Guest sign-in only; see https://backstage.io/docs/auth/ for real providers.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
// Logs catalog processing errors, see https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Phaset's example policy (owners manage their Records, everyone reads, admins
// everything): see permissionPolicy.ts and https://backstage.io/docs/permissions/writing-a-policy
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));

backend.add(import('@internal/backstage-plugin-phaset-backend'));
backend.add(import('@internal/backstage-plugin-catalog-backend-module-phaset'));
backend.start();
