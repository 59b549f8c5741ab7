import fs from 'fs/promises';
import os from 'os';
import path from 'path';
import request from 'supertest';
import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
// The real phaset backend runs next to the catalog, as in the app.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import phasetPlugin from '@internal/backstage-plugin-phaset-backend';
import { seedManifest } from '../__testUtils__/testing';
import { recordIdForLocation } from '../records/recordIds';
import { catalogModulePhaset } from '../module';

/*
 * The real thing end to end: the phaset backend and the catalog backend with
 * this module, sharing one database, talking over HTTP and the events
 * service. Assertions are on the catalog's REST API.
 */

// Each step waits for the catalog's processing loop.
jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const TOKEN = 'provider-test-token';
const SYNC_TASK = 'PhasetRecordEntityProvider:refresh';

async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe.each(databases.eachSupportedId())(
  'PhasetRecordEntityProvider on %s',
  (databaseId: TestDatabaseId) => {
    let server: any;
    let knex: Awaited<ReturnType<typeof databases.init>>;
    let dir: string;
    let scheduler: SchedulerService;
    // Hands the test the catalog's scheduler, to run the full sync on demand.
    const schedulerProbe = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'test-scheduler-probe',
      register(reg) {
        reg.registerInit({
          deps: { service: coreServices.scheduler },
          async init({ service }) {
            scheduler = service;
          },
        });
      },
    });

    const entity = async (ref: string): Promise<Entity | undefined> => {
      const res = await request(server).get(
        `/api/catalog/entities/by-name/${ref}`,
      );
      return res.status === 200 ? res.body : undefined;
    };
    const entityWhere = (ref: string, check: (e: Entity) => boolean) =>
      eventually(async () => {
        const e = await entity(ref);
        return e && check(e) ? e : undefined;
      }, `${ref} to match`);
    const gone = (ref: string) =>
      eventually(
        async () => ((await entity(ref)) ? undefined : true),
        `${ref} to disappear`,
      );
    const push = (recordId: string, manifest: unknown) =>
      request(server)
        .post(`/api/phaset/integration/record/demoorg/${recordId}/${TOKEN}`)
        .send(manifest as object)
        .expect(200);

    beforeAll(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'phaset-provider-'));
      await fs.mkdir(path.join(dir, 'repo', 'schema'), { recursive: true });
      await fs.writeFile(
        path.join(dir, 'repo', 'phaset.manifest.json'),
        JSON.stringify(seedManifest()),
      );
      await fs.writeFile(
        path.join(dir, 'repo', 'schema', 'test.json'),
        '{"openapi": "3.0.0"}',
      );
      await fs.writeFile(
        path.join(dir, 'catalog-info.yaml'),
        `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: linked-service
  title: Linked service
spec: { type: website, lifecycle: production, owner: team-a }
`,
      );
      knex = await databases.init(databaseId);
      const tokens = [{ name: 'ci', token: TOKEN }];
      ({ server } = await startTestBackend({
        features: [
          phasetPlugin,
          catalogPlugin,
          catalogModulePhaset,
          // The real in-process events service: the mock one is per plugin.
          eventsServiceFactory,
          schedulerProbe,
          mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              phaset: {
                organizations: [{ id: 'demoorg' }],
                // The seed manifest names this Baseline; pushes must name one that exists.
                baselines: [{ id: 'abcd1234', name: 'Seed 001', checks: [] }],
                records: [
                  { id: 'pushedrec1', organization: 'demoorg', tokens },
                  { id: 'fullsync01', organization: 'demoorg', tokens },
                  { id: 'samerec001', organization: 'demoorg', tokens },
                  {
                    id: 'linkedrec1',
                    organization: 'demoorg',
                    entityRef: 'component:default/linked-service',
                    tokens,
                  },
                ],
              },
              catalog: {
                rules: [{ allow: ['Component', 'API', 'System', 'Location'] }],
                locations: [
                  { type: 'file', target: path.join(dir, 'catalog-info.yaml') },
                  {
                    type: 'file',
                    target: path.join(dir, 'repo', 'phaset.manifest.json'),
                  },
                ],
              },
            },
          }),
        ],
      }));
    });

    afterAll(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('adds a pushed Record at once (delta), updates it on re-post and removes it on delete', async () => {
      await push('pushedrec1', seedManifest());
      const created = await entityWhere(
        'component/default/pushedrec1',
        () => true,
      );
      expect(created.metadata.title).toBe('Test Component');
      expect(created.metadata.annotations).toMatchObject({
        'phaset.dev/record-id': 'pushedrec1',
        'phaset.dev/org-id': 'demoorg',
        'phaset.dev/business-criticality': 'high',
        'backstage.io/managed-by-location': 'phaset-record:demoorg/pushedrec1',
      });
      expect(created.spec).toMatchObject({
        type: 'service',
        lifecycle: 'experimental',
        owner: 'group:default/grp12345',
        system: 'system:default/sys12345',
        dependsOn: ['component:default/abcde12345'],
      });
      const api = await entityWhere(
        'api/default/pushedrec1-testapi',
        () => true,
      );
      expect(api.spec?.definition).toMatch(/not an absolute URL/);
      const system = await entityWhere('system/default/sys12345', () => true);
      expect(system.spec?.domain).toBe('domain:default/dom12345');

      const changed = seedManifest();
      changed.spec.name = 'Renamed Component';
      changed.api = [{ name: 'Orders API' }];
      await push('pushedrec1', changed);
      await entityWhere(
        'component/default/pushedrec1',
        e => e.metadata.title === 'Renamed Component',
      );
      await entityWhere('api/default/pushedrec1-orders-api', () => true);
      // The renamed API's old entity is removed by the delta.
      await gone('api/default/pushedrec1-testapi');

      await request(server)
        .delete('/api/phaset/records/pushedrec1')
        .expect(204);
      await gone('component/default/pushedrec1');
      await gone('api/default/pushedrec1-orders-api');
    });

    it('syncs the whole Records table on the schedule', async () => {
      // Written behind the plugin's back, as another replica would with a
      // lost event: only the full sync can pick it up.
      const manifest = seedManifest();
      manifest.spec.name = 'Full sync';
      await knex('phaset_records')
        .where({ id: 'fullsync01' })
        .update({ manifest: JSON.stringify(manifest), manifest_raw: '{}' });
      await scheduler.triggerTask(SYNC_TASK);
      const synced = await entityWhere(
        'component/default/fullsync01',
        e => e.metadata.title === 'Full sync',
      );
      expect(synced.metadata.annotations?.['phaset.dev/record-id']).toBe(
        'fullsync01',
      );

      await knex('phaset_tokens').where({ record_id: 'fullsync01' }).delete();
      await knex('phaset_records').where({ id: 'fullsync01' }).delete();
      await scheduler.triggerTask(SYNC_TASK);
      await expect(gone('component/default/fullsync01')).resolves.toBe(true);
    });

    it('syncs Records beyond the first page of GET /records', async () => {
      // 1,001 Records whose ids sort first put zpagetwo01 on the second page
      // of 1,000.
      const now = new Date();
      const manifest = seedManifest();
      manifest.spec.name = 'On page two';
      const rows = [
        ...Array.from({ length: 1001 }, (_, i) => ({
          id: `a${String(i).padStart(9, '0')}`,
        })),
        { id: 'zpagetwo01', manifest: JSON.stringify(manifest) },
      ].map(row => ({
        organization_id: 'demoorg',
        origin: 'api',
        created_at: now,
        updated_at: now,
        ...row,
      }));
      for (let i = 0; i < rows.length; i += 500) {
        await knex('phaset_records').insert(rows.slice(i, i + 500));
      }
      await scheduler.triggerTask(SYNC_TASK);
      await entityWhere(
        'component/default/zpagetwo01',
        e => e.metadata.title === 'On page two',
      );
      await knex('phaset_records')
        .whereIn(
          'id',
          rows.map(row => row.id),
        )
        .delete();
      await scheduler.triggerTask(SYNC_TASK);
      await expect(gone('component/default/zpagetwo01')).resolves.toBe(true);
    });

    it('enriches the linked entity instead of creating a second one', async () => {
      const manifest = seedManifest();
      manifest.spec.version = '3.1.4';
      await push('linkedrec1', manifest);
      const enriched = await entityWhere(
        'component/default/linked-service',
        e => e.metadata.annotations?.['phaset.dev/version'] === '3.1.4',
      );
      // catalog-info.yaml wins conflicts; the manifest fills the rest.
      expect(enriched.metadata.title).toBe('Linked service');
      expect(enriched.spec).toMatchObject({
        type: 'website',
        owner: 'team-a',
        system: 'system:default/sys12345',
      });
      expect(enriched.metadata.annotations?.['phaset.dev/record-id']).toBe(
        'linkedrec1',
      );
      expect(await entity('component/default/linkedrec1')).toBeUndefined();
    });

    it('yields the same entity from a manifest location as from a push', async () => {
      const fromFile = recordIdForLocation({
        type: 'file',
        target: path.join(dir, 'repo', 'phaset.manifest.json'),
      });
      await push('samerec001', seedManifest());
      const located = await entityWhere(
        `component/default/${fromFile.toLowerCase()}`,
        () => true,
      );
      const pushed = await entityWhere(
        'component/default/samerec001',
        () => true,
      );
      const comparable = (e: Entity, recordId: string) => {
        const annotations = Object.fromEntries(
          Object.entries(e.metadata.annotations ?? {}).filter(
            ([key]) => !key.startsWith('backstage.io/'),
          ),
        );
        return JSON.parse(
          JSON.stringify({
            metadata: { ...e.metadata, annotations, uid: 0, etag: 0 },
            spec: e.spec,
          }).replace(new RegExp(recordId, 'gi'), 'RECORD'),
        );
      };
      expect(comparable(located, fromFile)).toEqual(
        comparable(pushed, 'samerec001'),
      );
    });
  },
);
