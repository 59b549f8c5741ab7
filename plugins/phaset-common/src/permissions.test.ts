import {
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  PHASET_RECORD_RESOURCE_TYPE,
  phasetMetricsRecomputePermission,
  phasetPermissions,
  phasetRecordCreatePermission,
  phasetRecordDeletePermission,
  phasetRecordPermissions,
  phasetRecordReadPermission,
  phasetTokenManagePermission,
} from './permissions';

describe('permissions', () => {
  it('keeps Record creation a basic permission: there is no Record to scope it to yet', () => {
    expect(phasetRecordCreatePermission).toEqual({
      type: 'basic',
      name: 'phaset.record.create',
      attributes: { action: 'create' },
    });
    expect(phasetPermissions).toContain(phasetRecordCreatePermission);
    expect(phasetRecordPermissions).not.toContain(phasetRecordCreatePermission);
  });

  it.each<[string, Permission, string]>([
    ['phaset.record.read', phasetRecordReadPermission, 'read'],
    ['phaset.record.delete', phasetRecordDeletePermission, 'delete'],
    ['phaset.record.token.manage', phasetTokenManagePermission, 'update'],
    ['phaset.metrics.recompute', phasetMetricsRecomputePermission, 'update'],
  ])('%s is scoped to a phaset-record', (name, permission, action) => {
    expect(permission).toEqual({
      type: 'resource',
      resourceType: 'phaset-record',
      name,
      attributes: { action },
    });
    expect(isResourcePermission(permission, PHASET_RECORD_RESOURCE_TYPE)).toBe(
      true,
    );
    expect(phasetRecordPermissions).toContain(permission);
    expect(phasetPermissions).toContain(permission);
  });

  it('names every permission once', () => {
    const names = phasetPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(6);
  });
});
