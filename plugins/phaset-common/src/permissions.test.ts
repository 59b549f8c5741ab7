import {
  phasetPermissions,
  phasetRecordCreatePermission,
  phasetRecordDeletePermission,
  phasetRecordReadPermission,
  phasetTokenManagePermission,
} from './permissions';

describe('permissions', () => {
  it.each([
    [phasetRecordCreatePermission, 'phaset.record.create', 'create'],
    [phasetRecordReadPermission, 'phaset.record.read', 'read'],
    [phasetRecordDeletePermission, 'phaset.record.delete', 'delete'],
    [phasetTokenManagePermission, 'phaset.record.token.manage', 'update'],
  ])('%#: %s', (permission, name, action) => {
    expect(permission).toMatchObject({
      type: 'basic',
      name,
      attributes: { action },
    });
    expect(phasetPermissions).toContain(permission);
  });
});
