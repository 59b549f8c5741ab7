import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import { PHASET_RECORD_RESOURCE_TYPE } from '@internal/backstage-plugin-phaset-common';
import { StoredRecord } from '../database/RecordStore';
import { RecordResources } from './RecordResources';
import { PhasetRecordFilter, PhasetRecordResource } from './rules';

/** A route's request, whatever its typed path, body, answer and query. */
type AnyRequest = Parameters<HttpAuthService['credentials']>[0];

/** A permission scoped to one Record. */
export type RecordPermission = ResourcePermission<
  typeof PHASET_RECORD_RESOURCE_TYPE
>;

/** Whether a Record passes the policy's conditions; undefined when every Record does. */
export type RecordCondition =
  | ((record: PhasetRecordResource) => boolean)
  | undefined;

function refuse(permission: { name: string }): never {
  throw new NotAllowedError(`Not allowed: ${permission.name}`);
}

/**
 * Asks the permission policy on behalf of the caller of a request and applies
 * conditional decisions to Records here, where the Record is at hand: one
 * policy call per request, and lists filtered instead of refused.
 */
export class RecordAuthorizer {
  private readonly passes: (
    decision: PolicyDecision,
    record: PhasetRecordResource | undefined,
  ) => boolean;

  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly permissions: PermissionsService,
    ruleset: PermissionRuleset<
      PhasetRecordResource,
      PhasetRecordFilter,
      typeof PHASET_RECORD_RESOURCE_TYPE
    >,
    private readonly resources: RecordResources,
  ) {
    this.passes = createConditionAuthorizer(ruleset);
  }

  private credentials(req: AnyRequest): Promise<BackstageCredentials> {
    // 401 without them; CI and webhooks use the Integration API instead.
    return this.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
  }

  private async decide(
    req: AnyRequest,
    permission: RecordPermission,
  ): Promise<PolicyDecision> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials: await this.credentials(req) },
    );
    if (decision.result === AuthorizeResult.DENY) {
      refuse(permission);
    }
    return decision;
  }

  /** Who is asking: a user's entity ref, or the calling service's subject. */
  async principal(req: AnyRequest): Promise<string> {
    const credentials = await this.credentials(req);
    const { principal } = credentials as BackstageCredentials<
      | { type: 'user'; userEntityRef: string }
      | { type: 'service'; subject: string }
    >;
    return principal.type === 'user'
      ? principal.userEntityRef
      : principal.subject;
  }

  /** 403 unless the policy allows `permission`, which no Record scopes. */
  async basic(req: AnyRequest, permission: BasicPermission) {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials: await this.credentials(req),
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      refuse(permission);
    }
  }

  /**
   * 403 unless the policy allows `permission` on Record `recordId`. A
   * conditional decision is applied to the Record (404 when there is none);
   * after an unconditional one the route answers for a missing Record itself.
   */
  async record(
    req: AnyRequest,
    permission: RecordPermission,
    recordId: string,
  ) {
    const decision = await this.decide(req, permission);
    if (decision.result === AuthorizeResult.ALLOW) {
      return;
    }
    const [record] = await this.resources.byIds([recordId]);
    if (!record) {
      throw new NotFoundError(`No Record '${recordId}'`);
    }
    if (!this.passes(decision, record)) {
      refuse(permission);
    }
  }

  /**
   * Which Records the caller may see under `permission`, for lists: 403 when
   * the policy denies it outright, a filter when its decision is conditional.
   */
  async condition(
    req: AnyRequest,
    permission: RecordPermission,
  ): Promise<RecordCondition> {
    const decision = await this.decide(req, permission);
    if (decision.result === AuthorizeResult.ALLOW) {
      return undefined;
    }
    return record => this.passes(decision, record);
  }

  /** The Records `load` returns that pass the caller's `permission`. */
  async filter(
    req: AnyRequest,
    permission: RecordPermission,
    load: () => Promise<StoredRecord[]>,
  ): Promise<StoredRecord[]> {
    const passes = await this.condition(req, permission);
    const records = await load();
    if (!passes) {
      return records;
    }
    const resources = await this.resources.of(records);
    return records.filter((_, i) => passes(resources[i]));
  }
}
