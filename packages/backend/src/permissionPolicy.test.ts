import request from 'supertest';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  phasetRecordCreatePermission,
  phasetTokenManagePermission,
} from '@internal/backstage-plugin-phaset-common';
import phasetOwnerPolicy from './permissionPolicy';

const USER = 'user:default/jane';
const catalogDelete = createPermission({
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
});

/** The permission backend with the policy module, for a member of `group`. */
async function start(config: JsonObject, group: string) {
  const { server } = await startTestBackend({
    features: [
      permissionPlugin,
      phasetOwnerPolicy,
      permissionsServiceFactory,
      mockServices.rootConfig.factory({
        data: { permission: { enabled: true }, ...config },
      }),
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () =>
          mockServices.userInfo({ ownershipEntityRefs: [USER, group] }),
      }),
    ],
  });
  return async (permission: object, resourceRef?: string) =>
    (
      await request(server)
        .post('/api/permission/authorize')
        .set('Authorization', mockCredentials.user.header(USER))
        .send({ items: [{ id: '1', permission, resourceRef }] })
        .expect(200)
    ).body.items[0].result;
}

describe('the phaset owner policy module', () => {
  it('makes the members of the configured admin groups admins', async () => {
    const decide = await start(
      { phaset: { permissions: { adminGroups: ['group:default/platform'] } } },
      'group:default/platform',
    );
    // Without conditions: no Record has to be looked up.
    expect(await decide(phasetTokenManagePermission, 'anyrecord1')).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it('makes group:default/admins the admins by default, and lets everyone create Records', async () => {
    const asAdmin = await start({}, 'group:default/admins');
    expect(await asAdmin(phasetTokenManagePermission, 'anyrecord1')).toBe(
      AuthorizeResult.ALLOW,
    );
    const asMember = await start({}, 'group:default/platform');
    expect(await asMember(phasetRecordCreatePermission)).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await asMember(catalogDelete)).toBe(AuthorizeResult.ALLOW);
  });
});
