import {
  AuthService,
  BackstageUserPrincipal,
  coreServices,
  createBackendModule,
  createServiceFactory,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { PolicyDecision } from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

/**
 * Backstage's mock auth, except that a plugin's request on behalf of a user
 * names the plugin as its actor, as real tokens do: the permission backend
 * refuses a conditional query without a Record from users directly.
 */
export const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const mock = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: (token, options) => mock.authenticate(token, options),
      getNoneCredentials: () => mock.getNoneCredentials(),
      getOwnServiceCredentials: () => mock.getOwnServiceCredentials(),
      isPrincipal: mock.isPrincipal.bind(mock) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials => mock.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => mock.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const { onBehalfOf } = options;
        if (!mock.isPrincipal(onBehalfOf, 'user')) {
          return mock.getPluginRequestToken(options);
        }
        return {
          token: mockCredentials.user.token(
            onBehalfOf.principal.userEntityRef,
            { actor: { subject: `plugin:${plugin.getId()}` } },
          ),
        };
      },
    };
  },
});

/** User info whose ownership refs add the user's groups, as sign-in puts them in a token. */
export function userInfoWithGroups(groupsByUser: Record<string, string[]>) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials) {
        const { userEntityRef } =
          credentials.principal as BackstageUserPrincipal;
        return {
          userEntityRef,
          ownershipEntityRefs: [
            userEntityRef,
            ...(groupsByUser[userEntityRef] ?? []),
          ],
        };
      },
    }),
  });
}

/** Decides a query given the user's ownership refs (none without a user). */
export type TestPolicy = (
  query: PolicyQuery,
  claims: string[],
) => PolicyDecision;

/** A policy that decides by the user's ownership refs alone. */
export const decidingOnClaims =
  (decide: TestPolicy) =>
  (users: UserInfoService): PermissionPolicy => ({
    async handle(query, user) {
      const claims = user
        ? (await users.getUserInfo(user.credentials)).ownershipEntityRefs
        : [];
      return decide(query, claims);
    },
  });

/** Installs the policy `createPolicy` returns as the permission backend's. */
export function policyModule(
  createPolicy: (users: UserInfoService) => PermissionPolicy,
) {
  return createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-policy',
    register(reg) {
      reg.registerInit({
        deps: { policy: policyExtensionPoint, users: coreServices.userInfo },
        async init({ policy, users }) {
          policy.setPolicy(createPolicy(users));
        },
      });
    },
  });
}
