import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { PHASET_RECORD_RESOURCE_TYPE } from '@internal/backstage-plugin-phaset-common';
import { z } from 'zod';

/**
 * What a `phaset-record` permission is decided on: the Record and the catalog
 * owner of its entity (`spec.owner`, the target of its `ownedBy` relation).
 *
 * @public
 */
export type PhasetRecordResource = {
  id: string;
  organizationId: string;
  entityRef?: string;
  /** The owner's entity ref, e.g. `group:default/team-a`; unset when the catalog names none. */
  owner?: string;
};

/**
 * A rule as a filter on a Record property. Owners live in the catalog, not in
 * Phaset's tables, so list routes apply the rules to the loaded Records
 * instead of translating them into SQL.
 *
 * @public
 */
export type PhasetRecordFilter = {
  property: 'owner' | 'organizationId';
  values: string[];
};

/** @public */
export const phasetRecordResourceRef = createPermissionResourceRef<
  PhasetRecordResource,
  PhasetRecordFilter
>().with({ pluginId: 'phaset', resourceType: PHASET_RECORD_RESOURCE_TYPE });

const isRecordOwner = createPermissionRule({
  name: 'IS_RECORD_OWNER',
  description:
    "Allow Records whose entity is owned by one of the claims (pass the user's ownership entity refs)",
  resourceRef: phasetRecordResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Entity refs, e.g. group:default/team-a, one of which must own the Record',
      ),
  }),
  apply: (record, { claims }) =>
    record.owner !== undefined && claims.includes(record.owner),
  toQuery: ({ claims }) => ({ property: 'owner', values: claims }),
});

const isInOrganization = createPermissionRule({
  name: 'IS_IN_ORGANIZATION',
  description: 'Allow Records of the given Phaset organizations',
  resourceRef: phasetRecordResourceRef,
  paramsSchema: z.object({
    organizationIds: z
      .array(z.string())
      .describe('Ids of organizations in phaset.organizations'),
  }),
  apply: (record, { organizationIds }) =>
    organizationIds.includes(record.organizationId),
  toQuery: ({ organizationIds }) => ({
    property: 'organizationId',
    values: organizationIds,
  }),
});

/** The rules registered for `phaset-record`, by the names policies use. @public */
export const phasetRecordRules = { isRecordOwner, isInOrganization };

/**
 * Conditions for a policy's conditional decisions on Phaset's Record
 * permissions, e.g.
 * `createPhasetRecordConditionalDecision(request.permission,
 * phasetRecordConditions.isRecordOwner({ claims: user.info.ownershipEntityRefs }))`.
 *
 * @public
 */
export const {
  conditions: phasetRecordConditions,
  createConditionalDecision: createPhasetRecordConditionalDecision,
} = createConditionExports({
  resourceRef: phasetRecordResourceRef,
  rules: phasetRecordRules,
});
