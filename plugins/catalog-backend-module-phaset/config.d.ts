import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  phaset?: {
    /** How Phaset Records become catalog entities (catalog-backend-module-phaset). */
    catalog?: {
      /**
       * Organisation (ORG_ID) of manifests found in repositories. Defaults to
       * the first entry of phaset.organizations.
       */
      organization?: string;
      /** Namespace of the entities produced from Records; `default` if omitted. */
      namespace?: string;
      /**
       * How often every Record is re-read from the phaset backend (a full
       * sync). Defaults to every 5 minutes with a 3 minute timeout.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
