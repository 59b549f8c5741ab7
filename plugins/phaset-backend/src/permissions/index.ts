import { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import {
  phasetRecordCreatePermission,
  phasetRecordPermissions,
} from '@internal/backstage-plugin-phaset-common';
import { RecordResources } from './RecordResources';
import { phasetRecordResourceRef, phasetRecordRules } from './rules';

export { RecordAuthorizer } from './RecordAuthorizer';
export type { RecordCondition, RecordPermission } from './RecordAuthorizer';
export { RecordResources, toRecordResource } from './RecordResources';
export * from './rules';

/**
 * Registers Phaset's permissions and the `phaset-record` resource type, whose
 * Records the permission backend loads (with their owners) to apply a
 * conditional decision it is asked about with a resourceRef (the frontend's
 * `usePermission`). Returns the rules, including any a module added.
 */
export function registerPhasetPermissions(
  registry: PermissionsRegistryService,
  resources: RecordResources,
) {
  registry.addPermissions([phasetRecordCreatePermission]);
  registry.addResourceType({
    resourceRef: phasetRecordResourceRef,
    permissions: phasetRecordPermissions,
    rules: Object.values(phasetRecordRules),
    getResources: ids => resources.byIds(ids),
  });
  return registry.getPermissionRuleset(phasetRecordResourceRef);
}
