import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { PhasetManifestProcessor } from './catalog/PhasetManifestProcessor';
import { PhasetRecordEntityProvider } from './catalog/PhasetRecordEntityProvider';
import { readPhasetCatalogConfig } from './config';
import { PhasetRecordIndex } from './records/PhasetRecordIndex';
import { createPhasetRecordReader } from './records/recordReader';

/**
 * Phaset Records in the catalog: manifests in repositories (processor) and
 * Records pushed from CI (entity provider). See docs/catalog.md.
 *
 * @public
 */
export const catalogModulePhaset = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'phaset',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        reader: coreServices.urlReader,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        reader,
        discovery,
        auth,
        scheduler,
        events,
      }) {
        const { organizationId, namespace, schedule } =
          readPhasetCatalogConfig(config);
        const client = createPhasetRecordReader({ discovery, auth });
        const index = new PhasetRecordIndex({ client, logger });
        catalog.addProcessor(
          new PhasetManifestProcessor({
            reader,
            integrations: ScmIntegrations.fromConfig(config),
            index,
            logger,
            organizationId,
            namespace,
            catalogFilename: config.getOptionalString(
              'catalog.import.entityFilename',
            ),
          }),
        );
        catalog.addEntityProvider(
          new PhasetRecordEntityProvider({
            client,
            index,
            scheduler,
            events,
            logger,
            schedule,
            namespace,
          }),
        );
      },
    });
  },
});
