import { createPermission } from '@backstage/plugin-permission-common';

/** @public */
export const phasetRecordCreatePermission = createPermission({
  name: 'phaset.record.create',
  attributes: { action: 'create' },
});

/** @public */
export const phasetRecordReadPermission = createPermission({
  name: 'phaset.record.read',
  attributes: { action: 'read' },
});

/** @public */
export const phasetRecordDeletePermission = createPermission({
  name: 'phaset.record.delete',
  attributes: { action: 'delete' },
});

/** Issuing and revoking a record's webhook token. @public */
export const phasetTokenManagePermission = createPermission({
  name: 'phaset.record.token.manage',
  attributes: { action: 'update' },
});

/** Rebuilding a record's metric events from its raw deliveries. @public */
export const phasetMetricsRecomputePermission = createPermission({
  name: 'phaset.metrics.recompute',
  attributes: { action: 'update' },
});

/** @public */
export const phasetPermissions = [
  phasetMetricsRecomputePermission,
  phasetRecordCreatePermission,
  phasetRecordReadPermission,
  phasetRecordDeletePermission,
  phasetTokenManagePermission,
];
