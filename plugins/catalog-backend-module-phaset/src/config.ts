import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';

/** Settings of the Phaset catalog module, from `phaset.catalog`. @public */
export type PhasetCatalogConfig = {
  /** Organisation of repository manifests; undefined when none is configured. */
  organizationId?: string;
  namespace: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
};

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
};

/** @public */
export function readPhasetCatalogConfig(
  config: RootConfigService,
): PhasetCatalogConfig {
  const catalog = config.getOptionalConfig('phaset.catalog');
  const firstOrganization = config
    .getOptionalConfigArray('phaset.organizations')?.[0]
    ?.getString('id');
  return {
    organizationId:
      catalog?.getOptionalString('organization') ?? firstOrganization,
    namespace: catalog?.getOptionalString('namespace') ?? DEFAULT_NAMESPACE,
    schedule: catalog?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          catalog.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
  };
}
