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

/** The phaset backend with a mocked events service, to see what it publishes. */
async function startWithEvents(databaseId: TestDatabaseId) {
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
  return { events, server };
}

describe.each(testDatabases.eachSupportedId())(
  'Record events on %s',
  (databaseId: TestDatabaseId) => {
    it('publishes an update for a stored manifest and a delete, nothing for a rejected one', async () => {
      const { events, server } = await startWithEvents(databaseId);
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
      const { events, server } = await startWithEvents(databaseId);
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
