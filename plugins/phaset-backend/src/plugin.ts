import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { PHASET_RECORD_EVENT_TOPIC } from '@internal/backstage-plugin-phaset-common';
import { readPhasetConfig } from './config';
import { applyDatabaseMigrations } from './database/migrations';
import { RecordStore, StoredRecord } from './database/RecordStore';
import { StandardsStore } from './database/StandardsStore';
import { TokenStore } from './database/TokenStore';
import { EventStore } from './database/EventStore';
import { MetricListStore } from './database/MetricListStore';
import { ReviewStore } from './database/ReviewStore';
import { MetricsStore } from './database/MetricsStore';
import { DoraFactStore } from './database/DoraFactStore';
import {
  RecordAuthorizer,
  RecordResources,
  registerPhasetPermissions,
} from './permissions';
import { catalogOwners } from './services/catalogOwners';
import { DoraFactWorker } from './services/DoraFactWorker';
import { HealthService } from './services/HealthService';
import { MetricListService } from './services/MetricListService';
import { MetricsService } from './services/MetricsService';
import { createRouter } from './service/router';
import { EventService } from './services/EventService';
import { IngestBatcher } from './services/IngestBatcher';
import { WebhookService } from './services/WebhookService';
import { BaselineService } from './services/BaselineService';
import { DEFAULT_BODY_TIMEOUT_SECONDS } from './security/middleware';
import { RateLimiter } from './services/RateLimiter';
import { RecordService } from './services/RecordService';
import { StandardsService } from './services/StandardsService';
import { TokenService } from './services/TokenService';

const DEFAULT_REQUESTS_PER_MINUTE = 600;
/** Wrong tokens answered 401 per minute, all callers together, before 429. */
const DEFAULT_FAILED_AUTHENTICATIONS_PER_MINUTE = 300;

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
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        discovery: coreServices.discovery,
        events: eventsServiceRef,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
      },
      async init({
        auth,
        catalog,
        config,
        database,
        discovery,
        events,
        httpAuth,
        httpRouter,
        logger,
        permissions,
        permissionsRegistry,
        scheduler,
      }) {
        const phasetConfig = readPhasetConfig(config);
        const db = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(db);
        }

        const integration = config.getOptionalConfig('phaset.integration');
        const tokens = new TokenService(
          new TokenStore(db),
          new RateLimiter(
            integration?.getOptionalNumber('failedAuthenticationsPerMinute') ??
              DEFAULT_FAILED_AUTHENTICATIONS_PER_MINUTE,
          ),
        );
        const records = new RecordService(
          new RecordStore(db),
          tokens,
          phasetConfig,
          // The catalog module applies these as deltas; its scheduled full
          // sync repairs anything a lost event leaves behind.
          async event => {
            try {
              await events.publish({
                topic: PHASET_RECORD_EVENT_TOPIC,
                eventPayload: event,
              });
            } catch (error) {
              logger.warn(
                `Phaset: could not publish ${event.action} of Record ${event.recordId}: ${error}`,
              );
            }
          },
        );
        const facts = new DoraFactWorker(new DoraFactStore(db), logger);
        // Events a replica acknowledged but had not folded when it stopped.
        await scheduler.scheduleTask({
          id: 'phaset-dora-facts-sweep',
          frequency: { seconds: 30 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 5 },
          fn: () => facts.sweep(),
        });
        const baselines = new BaselineService(phasetConfig);
        const standardsStore = new StandardsStore(db);
        const health = new HealthService(
          new ReviewStore(db),
          new RecordStore(db),
          standardsStore,
          new DoraFactStore(db),
          facts,
          phasetConfig.health,
        );
        const standards = new StandardsService(standardsStore, baselines);
        await records.syncFromConfig();
        logger.info(
          `Phaset: ${phasetConfig.organizations.size} organization(s), ${phasetConfig.records.length} Record(s) from config`,
        );

        const ownersOf = (linked: StoredRecord[]) =>
          catalogOwners(catalog, auth, linked);
        const recordResources = new RecordResources(
          new RecordStore(db),
          ownersOf,
        );
        const authorize = new RecordAuthorizer(
          httpAuth,
          permissions,
          registerPhasetPermissions(permissionsRegistry, recordResources),
          recordResources,
        );

        const rateLimiter = new RateLimiter(
          config.getOptionalNumber('phaset.integration.requestsPerMinute') ??
            DEFAULT_REQUESTS_PER_MINUTE,
        );
        const eventStore = new EventStore(db);
        const metricEvents = new EventService(
          eventStore,
          new IngestBatcher(eventStore),
          facts,
          new RecordStore(db),
          tokens,
          phasetConfig,
          rateLimiter,
        );
        httpRouter.use(
          await createRouter({
            authorize,
            records,
            tokens,
            standards,
            baselines,
            rateLimiter,
            logger,
            bodyTimeoutMs:
              (integration?.getOptionalNumber('bodyTimeoutSeconds') ??
                DEFAULT_BODY_TIMEOUT_SECONDS) * 1000,
            events: metricEvents,
            metrics: new MetricsService(
              new MetricsStore(db),
              facts,
              new RecordStore(db),
              ownersOf,
              phasetConfig.tiers,
              Date.now,
              (list, owners) => health.summaries(list, owners),
            ),
            health,
            metricLists: new MetricListService(
              new MetricListStore(db),
              facts,
              new MetricsStore(db),
              new RecordStore(db),
              new TokenStore(db),
            ),
            webhooks: new WebhookService(records, tokens, metricEvents, () =>
              discovery.getExternalBaseUrl('phaset'),
            ),
          }),
        );
        // CI and webhooks authenticate with the Record's path token instead.
        httpRouter.addAuthPolicy({
          path: '/integration',
          allow: 'unauthenticated',
        });
        httpRouter.addAuthPolicy({
          path: '/devlake',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
