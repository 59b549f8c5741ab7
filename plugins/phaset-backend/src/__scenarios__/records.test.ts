import request from 'supertest';
import { mockCredentials, TestDatabaseId } from '@backstage/backend-test-utils';
import {
  DEMO_TOKEN,
  startPhasetBackend,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import { seedManifest } from '../__testUtils__/fixtures';
import { hashToken } from '../services/TokenService';

describe.each(testDatabases.eachSupportedId())(
  'REST API on %s',
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];
    let knex: Awaited<ReturnType<typeof startPhasetBackend>>['knex'];

    beforeAll(async () => {
      ({ server, knex } = await startPhasetBackend(databaseId));
    });

    const postManifest = (recordId: string, token: string) =>
      request(server)
        .post(`/api/phaset/integration/record/demoorg/${recordId}/${token}`)
        .send(seedManifest());

    it('lists the Records declared in config', async () => {
      const response = await request(server)
        .get('/api/phaset/records?organization=demoorg')
        .expect(200);
      expect(response.body.items.map((r: any) => r.id)).toEqual([
        'demorecord',
        'otherrec01',
      ]);
      expect(response.body.items[0]).toEqual(
        expect.objectContaining({
          organizationId: 'demoorg',
          entityRef: 'component:default/demo-service',
          origin: 'config',
        }),
      );
    });

    it('stores config tokens hashed, never in clear', async () => {
      const rows = await knex('phaset_tokens').where({
        record_id: 'demorecord',
      });
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).toBe(hashToken(DEMO_TOKEN));
      expect(JSON.stringify(rows)).not.toContain(DEMO_TOKEN);
    });

    it('creates a Record, issues, renames and revokes a token', async () => {
      const created = await request(server)
        .post('/api/phaset/records')
        .send({ organization: 'demoorg', entityRef: 'Component:web-shop' })
        .expect(201);
      const id: string = created.body.id;
      expect(id).toMatch(/^[A-Za-z0-9]{10}$/);
      expect(created.body.entityRef).toBe('component:default/web-shop');

      const issued = await request(server)
        .post(`/api/phaset/records/${id}/tokens`)
        .send({ name: 'github-actions' })
        .expect(201);
      const secret: string = issued.body.token;
      expect(secret).toMatch(/^phs_[\w-]{43}$/);

      const listed = await request(server)
        .get(`/api/phaset/records/${id}/tokens`)
        .expect(200);
      expect(listed.body.items).toEqual([
        expect.objectContaining({ id: issued.body.id, name: 'github-actions' }),
      ]);
      expect(JSON.stringify(listed.body)).not.toContain(secret);

      await postManifest(id, secret).expect(200);

      const renamed = await request(server)
        .patch(`/api/phaset/records/${id}/tokens/${issued.body.id}`)
        .send({ name: 'ci' })
        .expect(200);
      expect(renamed.body.name).toBe('ci');
      await postManifest(id, secret).expect(200);

      await request(server)
        .delete(`/api/phaset/records/${id}/tokens/${issued.body.id}`)
        .expect(204);
      await postManifest(id, secret).expect(401);
    });

    it('rejects duplicate token names and unknown tokens', async () => {
      const conflict = await request(server)
        .post('/api/phaset/records/demorecord/tokens')
        .send({ name: 'ci' })
        .expect(409);
      expect(conflict.body.error.message).toMatch(/^name:/);
      const missing = await request(server)
        .post('/api/phaset/records/demorecord/tokens')
        .send({})
        .expect(400);
      expect(missing.body.error.message).toMatch(/^name:/);
      await request(server)
        .delete('/api/phaset/records/demorecord/tokens/nope')
        .expect(404);
    });

    it.each([
      [{ organization: 'nosuchorg' }, /^organization:/],
      [{ organization: 'demoorg', id: 'short' }, /^id:/],
      [{ organization: 'demoorg', entityRef: 42 }, /^entityRef:/],
      [{ organization: 'demoorg', id: 'demorecord' }, /^id: Record/],
    ])('rejects a bad Record %j', async (body, message) => {
      const response = await request(server)
        .post('/api/phaset/records')
        .send(body);
      expect([400, 409]).toContain(response.status);
      expect(response.body.error.message).toMatch(message);
    });

    it('deletes a Record with its tokens and Standards', async () => {
      const created = await request(server)
        .post('/api/phaset/records')
        .send({ organization: 'demoorg', id: 'deleteme01' })
        .expect(201);
      const issued = await request(server)
        .post(`/api/phaset/records/${created.body.id}/tokens`)
        .send({ name: 'ci' })
        .expect(201);
      await postManifest('deleteme01', issued.body.token).expect(200);

      await request(server)
        .delete('/api/phaset/records/deleteme01')
        .expect(204);
      await request(server).get('/api/phaset/records/deleteme01').expect(404);
      expect(
        await knex('phaset_tokens').where({ record_id: 'deleteme01' }),
      ).toEqual([]);
      await postManifest('deleteme01', issued.body.token).expect(401);
    });

    it('resolves the Baseline of a Record', async () => {
      const response = await request(server)
        .get('/api/phaset/records/otherrec01/baseline')
        .expect(200);
      expect(response.body.id).toBe('default');
      // Disabled checks are listed for people, outside what CI is served.
      expect(response.body.disabledChecks).toEqual([
        'checkForPresenceSecurity',
      ]);
    });

    it('requires Backstage credentials', async () => {
      const response = await request(server)
        .get('/api/phaset/records')
        .set('Authorization', mockCredentials.none.header())
        .expect(401);
      expect(response.body.error.name).toBe('AuthenticationError');
      await request(server)
        .post('/api/phaset/records/demorecord/tokens')
        .set('Authorization', mockCredentials.none.header())
        .send({ name: 'sneaky' })
        .expect(401);
    });
  },
);
