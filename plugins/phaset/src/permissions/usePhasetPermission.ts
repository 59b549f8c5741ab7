import {
  BasicPermission,
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { usePermission } from '@backstage/plugin-permission-react';

/**
 * Whether the signed-in user may do `permission`, on the Record `recordId`
 * when the permission is a resource permission of the `phaset-record` type
 * (so an owner-only policy can answer per Record). Buttons that would answer
 * 403 are not shown: callers render an action only when `allowed`.
 */
export function usePhasetPermission(
  permission: Permission,
  recordId?: string,
): { loading: boolean; allowed: boolean } {
  const { loading, allowed } = usePermission(
    isResourcePermission(permission)
      ? { permission, resourceRef: recordId }
      : { permission: permission as BasicPermission },
  );
  return { loading, allowed };
}
