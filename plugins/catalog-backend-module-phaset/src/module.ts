import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

export const catalogModulePhaset = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'phaset',
  register(reg) {
    reg.registerInit({
      deps: { logger: coreServices.logger },
      async init({ logger }) {
        logger.info('Hello World!');
      },
    });
  },
});
