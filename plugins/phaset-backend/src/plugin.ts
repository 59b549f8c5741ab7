import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { phasetPermissions } from '@internal/backstage-plugin-phaset-common';
import { readPhasetConfig } from './config';
import { applyDatabaseMigrations } from './database/migrations';
import { RecordStore } from './database/RecordStore';
import { StandardsStore } from './database/StandardsStore';
import { TokenStore } from './database/TokenStore';
import { createRouter } from './router';
import { BaselineService } from './services/BaselineService';
import { RateLimiter } from './services/RateLimiter';
import { RecordService } from './services/RecordService';
import { StandardsService } from './services/StandardsService';
import { TokenService } from './services/TokenService';

const DEFAULT_REQUESTS_PER_MINUTE = 600;

/**
 * Phaset's Records, webhook tokens, Standards and Baselines, served under
 * `/api/phaset` with Phaset's Integration API at `/api/phaset/integration`.
 *
 * @public
 */
export const phasetPlugin = createBackendPlugin({
  pluginId: 'phaset',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({
        config,
        database,
        httpAuth,
        httpRouter,
        logger,
        permissions,
        permissionsRegistry,
      }) {
        const phasetConfig = readPhasetConfig(config);
        const db = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(db);
        }

        const tokens = new TokenService(new TokenStore(db));
        const records = new RecordService(
          new RecordStore(db),
          tokens,
          phasetConfig,
        );
        const baselines = new BaselineService(phasetConfig);
        const standards = new StandardsService(
          new StandardsStore(db),
          baselines,
        );
        await records.syncFromConfig();
        logger.info(
          `Phaset: ${phasetConfig.organizations.size} organization(s), ${phasetConfig.records.length} Record(s) from config`,
        );

        permissionsRegistry.addPermissions(phasetPermissions);

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            records,
            tokens,
            standards,
            baselines,
            rateLimiter: new RateLimiter(
              config.getOptionalNumber(
                'phaset.integration.requestsPerMinute',
              ) ?? DEFAULT_REQUESTS_PER_MINUTE,
            ),
          }),
        );
        // CI and webhooks authenticate with the Record's path token instead.
        httpRouter.addAuthPolicy({
          path: '/integration',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
