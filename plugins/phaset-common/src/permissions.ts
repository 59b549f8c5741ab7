import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of Phaset's Record permissions. A policy may answer them
 * with a conditional decision built from the rules phaset-backend registers
 * for it (e.g. "the user is in the group that owns the Record's entity").
 *
 * @public
 */
export const PHASET_RECORD_RESOURCE_TYPE = 'phaset-record';

/**
 * Registering a Record. Not scoped to a Record (there is none yet). @public
 */
export const phasetRecordCreatePermission = createPermission({
  name: 'phaset.record.create',
  attributes: { action: 'create' },
});

/** Reading a Record, its Standards results, events and metrics. @public */
export const phasetRecordReadPermission = createPermission({
  name: 'phaset.record.read',
  attributes: { action: 'read' },
  resourceType: PHASET_RECORD_RESOURCE_TYPE,
});

/** @public */
export const phasetRecordDeletePermission = createPermission({
  name: 'phaset.record.delete',
  attributes: { action: 'delete' },
  resourceType: PHASET_RECORD_RESOURCE_TYPE,
});

/**
 * Listing, issuing, renaming and revoking a Record's CI tokens and generated
 * webhooks. @public
 */
export const phasetTokenManagePermission = createPermission({
  name: 'phaset.record.token.manage',
  attributes: { action: 'update' },
  resourceType: PHASET_RECORD_RESOURCE_TYPE,
});

/** Rebuilding a record's metric events from its raw deliveries. @public */
export const phasetMetricsRecomputePermission = createPermission({
  name: 'phaset.metrics.recompute',
  attributes: { action: 'update' },
  resourceType: PHASET_RECORD_RESOURCE_TYPE,
});

/** Filling in a Review of a Record. @public */
export const phasetReviewCreatePermission = createPermission({
  name: 'phaset.record.review.create',
  attributes: { action: 'create' },
  resourceType: PHASET_RECORD_RESOURCE_TYPE,
});

/** The permissions scoped to one Record (resource type `phaset-record`). @public */
export const phasetRecordPermissions = [
  phasetRecordReadPermission,
  phasetRecordDeletePermission,
  phasetTokenManagePermission,
  phasetMetricsRecomputePermission,
  phasetReviewCreatePermission,
];

/** @public */
export const phasetPermissions = [
  phasetRecordCreatePermission,
  ...phasetRecordPermissions,
];
