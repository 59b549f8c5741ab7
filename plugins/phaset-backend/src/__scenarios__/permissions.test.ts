import request from 'supertest';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { mockCredentials, TestDatabaseId } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  DEFAULT_REVIEW_QUESTIONS,
  PHASET_RECORD_RESOURCE_TYPE,
  phasetRecordCreatePermission,
  phasetRecordReadPermission,
  phasetTokenManagePermission,
} from '@internal/backstage-plugin-phaset-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  createPhasetRecordConditionalDecision,
  phasetRecordConditions,
} from '../permissions';
import { PhasetOwnerPolicy } from '../permissions/PhasetOwnerPolicy';
import {
  DEMO_TOKEN,
  startPhasetBackend,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import {
  authWithActors,
  decidingOnClaims,
  policyModule,
  TestPolicy,
  userInfoWithGroups,
} from '../__testUtils__/permissions';

// demorecord is linked to demo-service (team-a); otherrec01 has no entity, so
// its owner is that of the Component the catalog module creates for it
// (team-b); otherorg01's Component names no owner.
const TEAM_A = 'group:default/team-a';
const TEAM_B = 'group:default/team-b';
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const ADMIN = 'user:default/root';
const ADMINS = 'group:default/admins';
const MEMBERS: Record<string, string[]> = {
  [ALICE]: [TEAM_A],
  [BOB]: [TEAM_B],
  [ADMIN]: [ADMINS],
};

const component = (name: string, owner?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
});

const catalog = catalogServiceMock.factory({
  entities: [
    component('demo-service', 'team-a'),
    component('otherrec01', TEAM_B),
    component('otherorg01'),
    component('alice-service', TEAM_A),
  ],
});

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** Denies everything but reading. */
const readOnly: TestPolicy = ({ permission }) =>
  isPermission(permission, phasetRecordReadPermission) ? ALLOW : DENY;

/** Every Record permission only for the owners, reading included; creating for all. */
const ownersOnly: TestPolicy = ({ permission }, claims) =>
  isResourcePermission(permission, PHASET_RECORD_RESOURCE_TYPE)
    ? createPhasetRecordConditionalDecision(
        permission,
        phasetRecordConditions.isRecordOwner({ claims }),
      )
    : ALLOW;

async function startWithPolicy(
  databaseId: TestDatabaseId,
  createPolicy: (users: UserInfoService) => PermissionPolicy,
) {
  const { server } = await startPhasetBackend(
    databaseId,
    undefined,
    [
      permissionPlugin,
      policyModule(createPolicy),
      permissionsServiceFactory,
      authWithActors,
      userInfoWithGroups(MEMBERS),
      catalog,
    ],
    { permission: { enabled: true } },
  );
  return server;
}

type Server = Awaited<ReturnType<typeof startWithPolicy>>;
type ApiCall = [
  method: 'get' | 'post' | 'patch' | 'delete',
  path: string,
  user: string,
];

/** A request to the Phaset API as `user`. */
const call = (server: Server, ...[method, path, user]: ApiCall) =>
  request(server)
    [method](`/api/phaset${path}`)
    .set('Authorization', mockCredentials.user.header(user));

describe.each(testDatabases.eachSupportedId())(
  'permissions on %s',
  (databaseId: TestDatabaseId) => {
    describe('a policy that denies everything but reading', () => {
      let server: Server;
      beforeAll(async () => {
        server = await startWithPolicy(databaseId, decidingOnClaims(readOnly));
      });
      const as = (user: string) => ({
        Authorization: mockCredentials.user.header(user),
      });

      it.each([
        ['post', '/records', { organization: 'demoorg' }],
        ['delete', '/records/demorecord', undefined],
        ['get', '/records/demorecord/tokens', undefined],
        ['post', '/records/demorecord/tokens', { name: 'x' }],
        ['patch', '/records/demorecord/tokens/1', { name: 'x' }],
        ['delete', '/records/demorecord/tokens/1', undefined],
        ['get', '/records/demorecord/webhooks', undefined],
        ['post', '/records/demorecord/webhooks', { source: 'github' }],
        ['patch', '/records/demorecord/webhooks/1', { name: 'x' }],
        ['delete', '/records/demorecord/webhooks/1', undefined],
        ['post', '/records/demorecord/events/recompute', undefined],
      ] as const)('refuses %s %s with 403', async (method, path, body) => {
        const response = await request(server)
          [method](`/api/phaset${path}`)
          .set(as(ALICE))
          .send(body);
        expect(response.status).toBe(403);
        expect(response.body.error).toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringMatching(/^Not allowed: phaset\./),
        });
      });

      it.each([
        '/records',
        '/records/demorecord',
        '/records/demorecord/standards',
        '/records/demorecord/baseline',
        '/records/demorecord/events',
        '/baselines',
        '/metrics',
        '/metrics/owners',
        '/metrics/demorecord',
        '/metrics/demorecord/series?metric=deployments',
        '/metrics/demorecord/engineering-series?metric=changes',
        '/metrics/demorecord/deployments',
        '/metrics/demorecord/changes',
        '/metrics/demorecord/incidents',
        '/metrics/demorecord/pull-requests',
        '/metrics/demorecord/coverage',
        '/records/demorecord/health',
        '/records/demorecord/reviews',
        '/reviews/template',
      ])('lets everyone read %s', async path => {
        const { status } = await request(server)
          .get(`/api/phaset${path}`)
          .set(as(BOB));
        expect(status).toBe(200);
      });

      it('lists every Record when reading is allowed outright', async () => {
        const { body } = await request(server)
          .get('/api/phaset/records')
          .set(as(BOB))
          .expect(200);
        expect(body.items.map((r: { id: string }) => r.id)).toEqual([
          'demorecord',
          'otherorg01',
          'otherrec01',
        ]);
      });

      it('leaves the Integration API to its path tokens', async () => {
        const { body } = await request(server)
          .get(
            `/api/phaset/integration/baselines/demoorg/default/demorecord/${DEMO_TOKEN}`,
          )
          .expect(200);
        expect(body.checks).toContainEqual({
          name: 'checkForPresenceReadme',
          severity: 'error',
        });
      });

      it('answers the permission backend with the policy it has', async () => {
        const { body } = await request(server)
          .post('/api/permission/authorize')
          .set(as(ALICE))
          .send({
            items: [
              {
                id: 'manage',
                permission: phasetTokenManagePermission,
                resourceRef: 'demorecord',
              },
              {
                id: 'read',
                permission: phasetRecordReadPermission,
                resourceRef: 'demorecord',
              },
            ],
          })
          .expect(200);
        expect(body.items).toEqual([
          { id: 'manage', result: AuthorizeResult.DENY },
          { id: 'read', result: AuthorizeResult.ALLOW },
        ]);
      });
    });

    describe('the example policy: owners manage, everyone reads, admins everything', () => {
      let server: Server;
      beforeAll(async () => {
        server = await startWithPolicy(
          databaseId,
          users => new PhasetOwnerPolicy(users, [ADMINS]),
        );
      });
      const api = (...args: ApiCall) => call(server, ...args);

      it('lets everyone read every Record', async () => {
        const { body } = await api('get', '/records', BOB).expect(200);
        expect(body.items).toHaveLength(3);
        await api('get', '/records/demorecord', BOB).expect(200);
        await api('get', '/records/demorecord/standards', BOB).expect(200);
        const rollup = await api('get', '/metrics', BOB).expect(200);
        expect(rollup.body.items).toHaveLength(3);
      });

      it("lets the owners manage their Record's tokens and webhooks, and no one else", async () => {
        const issued = await api('post', '/records/demorecord/tokens', ALICE)
          .send({ name: 'deploy' })
          .expect(201);
        const webhook = await api('post', '/records/demorecord/webhooks', ALICE)
          .send({ name: 'GitHub', source: 'github' })
          .expect(201);
        const token = `/records/demorecord/tokens/${issued.body.id}`;
        const hook = `/records/demorecord/webhooks/${webhook.body.id}`;

        for (const attempt of [
          api('get', '/records/demorecord/tokens', BOB),
          api('post', '/records/demorecord/tokens', BOB).send({ name: 'x' }),
          api('patch', token, BOB).send({ name: 'x' }),
          api('delete', token, BOB),
          api('get', '/records/demorecord/webhooks', BOB),
          api('post', '/records/demorecord/webhooks', BOB).send({
            source: 'github',
          }),
          api('patch', hook, BOB).send({ name: 'x' }),
          api('delete', hook, BOB),
          api('post', '/records/demorecord/events/recompute', BOB),
        ]) {
          const response = await attempt;
          expect(response.status).toBe(403);
        }

        const tokens = await api(
          'get',
          '/records/demorecord/tokens',
          ALICE,
        ).expect(200);
        expect(tokens.body.items.map((t: { name: string }) => t.name)).toEqual(
          expect.arrayContaining(['deploy', 'GitHub']),
        );
        await api('patch', token, ALICE)
          .send({ name: 'deploy-ci' })
          .expect(200);
        await api('patch', hook, ALICE)
          .send({ name: 'GitHub Actions' })
          .expect(200);
        await api('delete', token, ALICE).expect(204);
        await api('delete', hook, ALICE).expect(204);
        await api('post', '/records/demorecord/events/recompute', ALICE).expect(
          200,
        );
      });

      it("lets the owners fill in their Record's Review, graded at once, and no one else", async () => {
        const answers = DEFAULT_REVIEW_QUESTIONS.map((q, i) => ({
          questionId: q.id,
          value: i < 24 ? 'yes' : 'no',
          ...(i === 0 && { prioritised: true, comment: 'Keep it so' }),
        }));
        const before = (
          await api('get', '/records/demorecord/health', BOB).expect(200)
        ).body;
        expect(before.parts.review).toMatchObject({
          score: null,
          reason: 'no Review yet',
        });
        await api('post', '/records/demorecord/reviews', BOB)
          .send({ answers })
          .expect(403);
        const bad = await api('post', '/records/demorecord/reviews', ALICE)
          .send({
            answers: [{ ...answers[0], value: 'maybe' }, ...answers.slice(1)],
          })
          .expect(400);
        expect(bad.body.error.message).toMatch(/^answers\[0\]\.value:/);
        const missing = await api('post', '/records/demorecord/reviews', ALICE)
          .send({ answers: answers.slice(1) })
          .expect(400);
        expect(missing.body.error.message).toMatch(/^answers: 1 question/);

        const created = await api('post', '/records/demorecord/reviews', ALICE)
          .send({ answers })
          .expect(201);
        expect(created.body).toMatchObject({
          recordId: 'demorecord',
          author: ALICE,
          score: 80,
        });
        expect(created.body.answers[0]).toEqual({
          questionId: DEFAULT_REVIEW_QUESTIONS[0].id,
          value: 'yes',
          prioritised: true,
          comment: 'Keep it so',
        });
        const latest = await api(
          'get',
          '/records/demorecord/reviews/latest',
          BOB,
        ).expect(200);
        expect(latest.body).toEqual(created.body);
        const list = await api(
          'get',
          '/records/demorecord/reviews?limit=1',
          BOB,
        ).expect(200);
        expect(list.body.items).toEqual([created.body]);
        const after = (
          await api('get', '/records/demorecord/health', BOB).expect(200)
        ).body;
        expect(after.parts.review).toMatchObject({
          score: 80,
          counted: 80,
          stale: false,
        });
        expect(after.score).toBeCloseTo(before.score + 80 / 3, 10);
        const template = await api('get', '/reviews/template', BOB).expect(200);
        expect(template.body.questions).toHaveLength(30);
        // The roll-up grades the Record alike, and its owner by the mean.
        const rollup = (await api('get', '/metrics', BOB).expect(200)).body;
        const owners = (await api('get', '/metrics/owners', BOB).expect(200))
          .body;
        const row = rollup.items.find((r: any) => r.recordId === 'demorecord');
        expect(row.health).toEqual({ score: after.score, grade: after.grade });
        const teamA = owners.items.find((o: any) => o.owner === TEAM_A);
        expect(teamA.health).toEqual({
          score: after.score,
          grade: after.grade,
        });
      });

      it('lets admins manage any Record', async () => {
        await api('get', '/records/otherrec01/tokens', ADMIN).expect(200);
        const webhook = await api('post', '/records/otherrec01/webhooks', ADMIN)
          .send({ name: 'GitLab', source: 'gitlab' })
          .expect(201);
        expect(webhook.body).toMatchObject({
          name: 'GitLab',
          source: 'gitlab',
        });
        await api(
          'delete',
          `/records/otherrec01/webhooks/${webhook.body.id}`,
          ADMIN,
        ).expect(204);
        await api('post', '/records/otherrec01/events/recompute', ADMIN).expect(
          200,
        );
      });

      it('lets anyone register a Record, which its owners then manage', async () => {
        const created = await api('post', '/records', BOB)
          .send({
            organization: 'demoorg',
            entityRef: 'component:default/alice-service',
          })
          .expect(201);
        expect(created.body.entityRef).toBe('component:default/alice-service');
        const path = `/records/${created.body.id}`;
        await api('post', `${path}/webhooks`, BOB)
          .send({ name: 'GitHub', source: 'github' })
          .expect(403);
        await api('post', `${path}/webhooks`, ALICE)
          .send({ name: 'GitHub', source: 'github' })
          .expect(201);
        await api('delete', path, BOB).expect(403);
        await api('delete', path, ALICE).expect(204);
      });
    });

    describe('a policy that gives each Record to its owners', () => {
      let server: Server;
      beforeAll(async () => {
        server = await startWithPolicy(
          databaseId,
          decidingOnClaims(ownersOnly),
        );
      });
      const api = (...args: ApiCall) => call(server, ...args);

      it('lists only the Records the user owns', async () => {
        for (const [user, ids] of [
          [ALICE, ['demorecord']],
          [BOB, ['otherrec01']],
          ['user:default/nobody', []],
        ] as const) {
          const { body } = await api('get', '/records', user).expect(200);
          expect(body.items.map((r: { id: string }) => r.id)).toEqual(ids);
        }
      });

      it('rolls up only the Records the user owns', async () => {
        const { body } = await api('get', '/metrics', BOB).expect(200);
        expect(body.items.map((r: { recordId: string }) => r.recordId)).toEqual(
          ['otherrec01'],
        );
        const owners = await api('get', '/metrics/owners', BOB).expect(200);
        expect(
          owners.body.items.map((o: { owner: string }) => o.owner),
        ).toEqual([TEAM_B]);
      });

      it("refuses another group's Record, and 404 for none", async () => {
        const statuses = [];
        for (const [path, user] of [
          ['/records/demorecord', BOB],
          ['/metrics/demorecord', BOB],
          ['/metrics/demorecord/deployments', BOB],
          ['/metrics/demorecord/changes', BOB],
          ['/metrics/demorecord/incidents', BOB],
          ['/metrics/demorecord/pull-requests', BOB],
          ['/metrics/demorecord/engineering-series?metric=changes', BOB],
          ['/records/demorecord', ALICE],
          ['/metrics/demorecord/deployments', ALICE],
          ['/records/nosuchrec1', ALICE],
        ]) {
          statuses.push((await api('get', path, user)).status);
        }
        expect(statuses).toEqual([
          403, 403, 403, 403, 403, 403, 403, 200, 200, 404,
        ]);
      });

      it('answers the frontend per Record, through the permission backend', async () => {
        const ask = async (user: string, resourceRef: string) =>
          (
            await request(server)
              .post('/api/permission/authorize')
              .set('Authorization', mockCredentials.user.header(user))
              .send({
                items: [
                  {
                    id: resourceRef,
                    permission: phasetTokenManagePermission,
                    resourceRef,
                  },
                ],
              })
              .expect(200)
          ).body.items[0].result;
        expect(await ask(ALICE, 'demorecord')).toBe(AuthorizeResult.ALLOW);
        expect(await ask(BOB, 'demorecord')).toBe(AuthorizeResult.DENY);
        expect(await ask(BOB, 'otherrec01')).toBe(AuthorizeResult.ALLOW);
        // No owner in the catalog: no one's.
        expect(await ask(ALICE, 'otherorg01')).toBe(AuthorizeResult.DENY);
        expect(await ask(ALICE, 'nosuchrec1')).toBe(AuthorizeResult.DENY);
      });

      it('keeps creation a plain decision', async () => {
        const { body } = await request(server)
          .post('/api/permission/authorize')
          .set('Authorization', mockCredentials.user.header(BOB))
          .send({
            items: [{ id: 'create', permission: phasetRecordCreatePermission }],
          })
          .expect(200);
        expect(body.items).toEqual([
          { id: 'create', result: AuthorizeResult.ALLOW },
        ]);
      });
    });
  },
);
