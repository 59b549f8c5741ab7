import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  PHASET_RECORD_RESOURCE_TYPE,
  phasetRecordCreatePermission,
  phasetRecordReadPermission,
} from '@internal/backstage-plugin-phaset-common';
import {
  createPhasetRecordConditionalDecision,
  phasetRecordConditions,
} from './rules';

/**
 * Phaset's example policy: everyone signed in reads every Record and may
 * register one; a Record's tokens, webhooks, deletion and recomputation are
 * for the members of the group that owns its entity in the catalog; members
 * of `adminGroups` (or users listed there) may do everything. Other plugins'
 * permissions are allowed, as with Backstage's allow-all policy.
 *
 * @public
 */
export class PhasetOwnerPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly adminGroups: string[],
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const claims = user
      ? (await this.userInfo.getUserInfo(user.credentials)).ownershipEntityRefs
      : [];
    if (claims.some(ref => this.adminGroups.includes(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isPermission(permission, phasetRecordReadPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isPermission(permission, phasetRecordCreatePermission)) {
      return { result: user ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (isResourcePermission(permission, PHASET_RECORD_RESOURCE_TYPE)) {
      return createPhasetRecordConditionalDecision(
        permission,
        phasetRecordConditions.isRecordOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
