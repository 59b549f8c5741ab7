import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { PhasetOwnerPolicy } from '@internal/backstage-plugin-phaset-backend';

/** Used when `phaset.permissions.adminGroups` is not set. */
export const DEFAULT_ADMIN_GROUPS = ['group:default/admins'];

export function readAdminGroups(config: Config): string[] {
  return (
    config.getOptionalStringArray('phaset.permissions.adminGroups') ??
    DEFAULT_ADMIN_GROUPS
  );
}

/**
 * The permission backend's policy: Phaset's example owner policy (owners
 * manage their Records' tokens and webhooks, everyone reads, members of the
 * admin groups do everything; other plugins' permissions allowed). Write your
 * own with phasetRecordConditions, see docs/permissions.md.
 */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'phaset-owner-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(
          new PhasetOwnerPolicy(userInfo, readAdminGroups(config)),
        );
      },
    });
  },
});
