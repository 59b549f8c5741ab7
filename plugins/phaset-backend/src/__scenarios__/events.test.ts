import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  startPhasetBackend,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import {
  countRows,
  fixtureHeaders,
  newRecord,
  rawFixture,
  storedEvents,
} from '../__testUtils__/events';

const SHA = 'cf1d3df5ea4373e69d8adc3808e9f8ce23b61360';

describe.each(testDatabases.eachSupportedId())(
  'POST /integration/event on %s',
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];
    let knex: Awaited<ReturnType<typeof startPhasetBackend>>['knex'];

    beforeAll(async () => {
      ({ server, knex } = await startPhasetBackend(databaseId));
    });

    const post = (url: string, body: unknown) =>
      request(server)
        .post(url)
        .send(body as object);

    // Seed 001's examples, with the fields its page shows.
    it("stores seed 001's event examples", async () => {
      const record = await newRecord(server);
      const examples = [
        { event: 'change', commitSha: SHA, timestamp: '1732802071' },
        { event: 'deployment', commitSha: SHA },
        { event: 'incident-opened', id: 'INC-1', createdAt: '1732718640' },
        {
          event: 'incident-resolved',
          id: 'INC-1',
          createdAt: '1732718640',
          resolvedAt: '1732718800',
        },
        { event: 'comment' },
        {
          event: 'review-approved',
          createdAt: '1732802071',
          submittedAt: '1733000000',
        },
        {
          event: 'review-changes',
          createdAt: '1732802071',
          submittedAt: '1733000000',
        },
        { event: 'pr-opened', additions: 10, changedFiles: 2, deletions: 3 },
        { event: 'pr-closed', createdAt: '1732802071', closedAt: '1733000000' },
        { event: 'pr-merged', createdAt: '1732802071', mergedAt: '1733000000' },
      ];
      const before = Date.now();
      for (const example of examples) {
        const response = await post(record.eventUrl, example).expect(200);
        expect(response.body).toEqual({ accepted: 1, duplicates: 0 });
      }
      const events = await storedEvents(knex, record.id);
      const byKind = Object.fromEntries(events.map(e => [e.kind, e]));
      expect(Object.keys(byKind).sort()).toEqual(
        examples.map(e => e.event).sort(),
      );
      expect(byKind.change).toMatchObject({
        commit_sha: SHA,
        occurred_at: '2024-11-28T13:54:31.000Z',
        external_id: `phaset:change:${SHA}`,
      });
      expect(byKind.deployment).toMatchObject({
        commit_sha: SHA,
        result: 'success',
        is_production: true,
      });
      expect(
        new Date(byKind.deployment.occurred_at).getTime(),
      ).toBeGreaterThanOrEqual(before - 1000);
      // The resolution is also written onto the opened incident.
      expect(byKind['incident-opened']).toMatchObject({
        incident_id: 'INC-1',
        opened_at: '2024-11-27T14:44:00.000Z',
        resolved_at: '2024-11-27T14:46:40.000Z',
      });
      expect(byKind['review-approved']).toMatchObject({
        pr_created_at: '2024-11-28T13:54:31.000Z',
        submitted_at: '2024-11-30T20:53:20.000Z',
      });
      expect(byKind['pr-opened']).toMatchObject({
        additions: 10,
        deletions: 3,
        changed_files: 2,
      });
      expect(byKind['pr-merged']).toMatchObject({
        merged_at: '2024-11-30T20:53:20.000Z',
      });
      expect(byKind['pr-closed']).toMatchObject({
        closed_at: '2024-11-30T20:53:20.000Z',
      });
    });

    it('stores an id with a lone UTF-16 surrogate as U+FFFD, alike on every engine', async () => {
      const record = await newRecord(server);
      // JSON's "\ud800" escape decodes to half a character.
      const id = 'INC-\ud800';
      await post(record.eventUrl, {
        event: 'incident-opened',
        id,
        createdAt: '1732718640',
      }).expect(200, { accepted: 1, duplicates: 0 });
      await post(record.eventUrl, {
        event: 'incident-resolved',
        id,
        createdAt: '1732718640',
        resolvedAt: '1732718800',
      }).expect(200, { accepted: 1, duplicates: 0 });
      const opened = (await storedEvents(knex, record.id)).find(
        e => e.kind === 'incident-opened',
      );
      expect(opened).toMatchObject({
        incident_id: 'INC-\ufffd',
        external_id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        resolved_at: '2024-11-27T14:46:40.000Z',
      });
    });

    it.each([
      ['10-digit seconds string', '1732802071', '2024-11-28T13:54:31.000Z'],
      [
        '13-digit milliseconds string',
        '1732802071123',
        '2024-11-28T13:54:31.123Z',
      ],
      ['seconds as a number', 1732802071, '2024-11-28T13:54:31.000Z'],
      ['milliseconds as a number', 1732802071123, '2024-11-28T13:54:31.123Z'],
    ])('accepts a timestamp as %s', async (_name, timestamp, iso) => {
      const record = await newRecord(server);
      await post(record.eventUrl, {
        event: 'change',
        commitSha: SHA,
        timestamp,
      }).expect(200);
      expect((await storedEvents(knex, record.id))[0].occurred_at).toBe(iso);
    });

    it.each([
      [
        '9 digits',
        { event: 'change', commitSha: SHA, timestamp: '173280207' },
        'timestamp',
      ],
      [
        '11 digits',
        { event: 'change', commitSha: SHA, timestamp: '17328020711' },
        'timestamp',
      ],
      [
        '14 digits',
        { event: 'deployment', commitSha: SHA, timestamp: '17328020711234' },
        'timestamp',
      ],
      [
        'negative',
        { event: 'change', commitSha: SHA, timestamp: '-1732802071' },
        'timestamp',
      ],
      [
        'non-numeric',
        { event: 'incident-opened', id: 'I', createdAt: 'yesterday' },
        'createdAt',
      ],
      ['a float', { event: 'pr-merged', mergedAt: 1732802071.5 }, 'mergedAt'],
      [
        'missing required createdAt',
        { event: 'incident-opened', id: 'I' },
        'createdAt',
      ],
      ['missing commitSha', { event: 'change' }, 'commitSha'],
      ['a wrong type', { event: 'change', commitSha: 42 }, 'commitSha'],
      [
        'a wrong size type',
        { event: 'pr-opened', additions: 'ten' },
        'additions',
      ],
      ['an unknown event', { event: 'release' }, 'event'],
      ['no event at all', { hello: 'world' }, 'event'],
    ])(
      'rejects %s with a 400 naming the field, storing nothing',
      async (_name, body, field) => {
        const record = await newRecord(server);
        const response = await post(record.eventUrl, body).expect(400);
        expect(response.body.error.name).toBe('InputError');
        expect(response.body.error.message).toContain(field);
        expect(await countRows(knex, record.id)).toEqual({ events: 0, raw: 0 });
      },
    );

    it('rejects malformed JSON, oversize bodies and bad tokens, storing nothing', async () => {
      const record = await newRecord(server);
      const malformed = await request(server)
        .post(record.eventUrl)
        .set('Content-Type', 'application/json')
        .send('{"event": "change",')
        .expect(400);
      expect(malformed.body.error.message).toMatch(/^Malformed JSON body/);

      const huge = await request(server)
        .post(record.eventUrl)
        .set('Content-Type', 'application/json')
        .send(
          JSON.stringify({
            event: 'change',
            commitSha: SHA,
            pad: 'x'.repeat(1_100_000),
          }),
        )
        .expect(413);
      expect(huge.body.error.message).toMatch(/too large/i);

      const wrong = await post(
        record.eventUrl.replace(record.token, 'phs_wrong'),
        { event: 'comment' },
      ).expect(401);
      expect(wrong.body.error).toEqual({
        name: 'AuthenticationError',
        message: 'Invalid webhook token for this Record',
      });
      await post(record.eventUrl.replace('/demoorg/', '/otherorg/'), {
        event: 'comment',
      }).expect(401);

      await request(server)
        .delete(`/api/phaset/records/${record.id}/webhooks/${record.webhookId}`)
        .expect(204);
      await post(record.eventUrl, { event: 'comment' }).expect(401);
      expect(await countRows(knex, record.id)).toEqual({ events: 0, raw: 0 });
    });

    describe('idempotency', () => {
      it('stores a redelivered GitHub webhook once', async () => {
        const record = await newRecord(server);
        const send = () =>
          request(server)
            .post(record.eventUrl)
            .set(
              fixtureHeaders(
                'github',
                'pull_request.opened.json',
                'same-delivery',
              ),
            )
            .set('Content-Type', 'application/json')
            .send(rawFixture('github', 'pull_request.opened.json'));
        expect((await send().expect(200)).body).toEqual({
          accepted: 1,
          duplicates: 0,
        });
        expect((await send().expect(200)).body).toEqual({
          accepted: 0,
          duplicates: 1,
        });
        expect(await countRows(knex, record.id)).toEqual({ events: 1, raw: 1 });
      });

      it('stores concurrent redeliveries once', async () => {
        const record = await newRecord(server);
        const responses = await Promise.all(
          Array.from({ length: 5 }, () =>
            request(server)
              .post(record.eventUrl)
              .set(fixtureHeaders('gitlab', 'push.json', 'gitlab-uuid-1'))
              .set('Content-Type', 'application/json')
              .send(rawFixture('gitlab', 'push.json')),
          ),
        );
        expect(responses.map(r => r.body.accepted).sort()).toEqual([
          0, 0, 0, 0, 2,
        ]);
        expect(await countRows(knex, record.id)).toEqual({ events: 2, raw: 1 });
      });

      it('stores the same fact from two deliveries once (Azure merged + updated)', async () => {
        const record = await newRecord(server);
        for (const file of [
          'git.pullrequest.merged.json',
          'git.pullrequest.updated.json',
        ]) {
          await request(server)
            .post(record.eventUrl)
            .set('Content-Type', 'application/json')
            .send(rawFixture('azure-devops', file))
            .expect(200);
        }
        expect(await countRows(knex, record.id)).toEqual({ events: 1, raw: 1 });
      });

      it('stores a re-sent CI event once, but never merges different events', async () => {
        const record = await newRecord(server);
        const change = {
          event: 'change',
          commitSha: SHA,
          timestamp: '1732802071',
        };
        await post(record.eventUrl, change).expect(200);
        expect((await post(record.eventUrl, change).expect(200)).body).toEqual({
          accepted: 0,
          duplicates: 1,
        });
        const deployment = {
          event: 'deployment',
          commitSha: SHA,
          timestamp: '1732802071',
        };
        await post(record.eventUrl, deployment).expect(200);
        await post(record.eventUrl, deployment).expect(200);
        // A later deployment of the same commit (a rollback) is a new fact.
        await post(record.eventUrl, {
          ...deployment,
          timestamp: '1732809999',
        }).expect(200);
        // Comments carry no identity: two posts are two comments.
        await post(record.eventUrl, { event: 'comment' }).expect(200);
        await post(record.eventUrl, { event: 'comment' }).expect(200);
        const kinds = (await storedEvents(knex, record.id))
          .map(e => e.kind)
          .sort();
        expect(kinds).toEqual([
          'change',
          'comment',
          'comment',
          'deployment',
          'deployment',
        ]);
        expect(await countRows(knex, record.id)).toEqual({ events: 5, raw: 5 });
      });

      it('updates an incident resolved after it was opened, and keeps late changes', async () => {
        const record = await newRecord(server);
        await post(record.eventUrl, {
          event: 'incident-opened',
          id: 'X1',
          createdAt: '1732718640',
        }).expect(200);
        await post(record.eventUrl, {
          event: 'incident-resolved',
          id: 'X1',
          createdAt: '1732718640',
          resolvedAt: '1732718800',
        }).expect(200);
        await post(record.eventUrl, {
          event: 'change',
          commitSha: 'abc',
          timestamp: '1600000000',
        }).expect(200);
        const events = await storedEvents(knex, record.id);
        expect(events.find(e => e.kind === 'incident-opened')).toMatchObject({
          resolved_at: '2024-11-27T14:46:40.000Z',
        });
        expect(events.find(e => e.kind === 'change')).toMatchObject({
          occurred_at: '2020-09-13T12:26:40.000Z',
        });
      });
    });
  },
);
