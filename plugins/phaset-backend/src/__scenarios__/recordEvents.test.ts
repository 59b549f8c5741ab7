import request from 'supertest';
import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { PHASET_RECORD_EVENT_TOPIC } from '@internal/backstage-plugin-phaset-common';
import { phasetPlugin } from '../plugin';
import {
  DEMO_TOKEN,
  defaultPhasetConfig,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import { seedManifest } from '../__testUtils__/fixtures';

describe.each(testDatabases.eachSupportedId())(
  'Record events on %s',
  (databaseId: TestDatabaseId) => {
    it('publishes an update for a stored manifest and a delete, nothing for a rejected one', async () => {
      const events = mockServices.events.mock();
      const { server } = await startTestBackend({
        features: [
          phasetPlugin,
          events.factory,
          mockServices.database.factory({
            knex: await testDatabases.init(databaseId),
          }),
          mockServices.rootConfig.factory({
            data: { phaset: defaultPhasetConfig },
          }),
        ],
      });
      const url = `/api/phaset/integration/record/demoorg/demorecord/${DEMO_TOKEN}`;

      await request(server).post(url).send({ spec: {} }).expect(400);
      expect(events.publish).not.toHaveBeenCalled();

      await request(server).post(url).send(seedManifest()).expect(200);
      await request(server)
        .delete('/api/phaset/records/demorecord')
        .expect(204);
      expect(events.publish.mock.calls).toEqual([
        [
          {
            topic: PHASET_RECORD_EVENT_TOPIC,
            eventPayload: { recordId: 'demorecord', action: 'updated' },
          },
        ],
        [
          {
            topic: PHASET_RECORD_EVENT_TOPIC,
            eventPayload: { recordId: 'demorecord', action: 'deleted' },
          },
        ],
      ]);
    });

    it('publishes an update for a Record created linked to an entity, so the catalog links it at once', async () => {
      const events = mockServices.events.mock();
      const { server } = await startTestBackend({
        features: [
          phasetPlugin,
          events.factory,
          mockServices.database.factory({
            knex: await testDatabases.init(databaseId),
          }),
          mockServices.rootConfig.factory({
            data: { phaset: defaultPhasetConfig },
          }),
        ],
      });
      await request(server)
        .post('/api/phaset/records')
        .send({ organization: 'demoorg', id: 'Unlinked01' })
        .expect(201);
      expect(events.publish).not.toHaveBeenCalled();
      await request(server)
        .post('/api/phaset/records')
        .send({
          organization: 'demoorg',
          id: 'Linked0001',
          entityRef: 'component:default/example-website',
        })
        .expect(201);
      expect(events.publish.mock.calls).toEqual([
        [
          {
            topic: PHASET_RECORD_EVENT_TOPIC,
            eventPayload: { recordId: 'Linked0001', action: 'updated' },
          },
        ],
      ]);
    });
  },
);
