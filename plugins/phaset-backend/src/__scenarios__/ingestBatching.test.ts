import { randomUUID } from 'crypto';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { EventStore, IngestJob } from '../database/EventStore';
import { EventRow } from '../database/tables';
import { IngestBatcher } from '../services/IngestBatcher';
import {
  startPhasetBackend,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import {
  countRows,
  eventRow,
  newRecord,
  storedEvents,
} from '../__testUtils__/events';

const tick = () => new Promise(resolve => setImmediate(resolve));

/** Concurrent group commits on the real store: what the endpoint relies on. */
describe.each(testDatabases.eachSupportedId())(
  'IngestBatcher with EventStore on %s',
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];
    let knex: Awaited<ReturnType<typeof startPhasetBackend>>['knex'];

    beforeAll(async () => {
      ({ server, knex } = await startPhasetBackend(databaseId));
    });

    async function fixture() {
      const record = await newRecord(server);
      const { id: tokenId } = await knex('phaset_tokens')
        .where({ record_id: record.id })
        .first('id');
      const job = (
        kind: string,
        fields: Partial<EventRow> = {},
        deliveryId: string | null = null,
      ): IngestJob => {
        const rawId = randomUUID();
        return {
          raw: {
            id: rawId,
            record_id: record.id,
            token_id: tokenId,
            source: 'phaset',
            delivery_id: deliveryId,
            endpoint: null,
            headers: '{}',
            body: '{}',
            received_at: new Date(),
          },
          events: [
            eventRow({
              id: randomUUID(),
              record_id: record.id,
              raw_event_id: rawId,
              token_id: tokenId,
              source: 'phaset',
              kind,
              occurred_at: new Date('2024-11-27T14:44:00.000Z'),
              ...fields,
            }),
          ],
        };
      };
      return { record, tokenId, job };
    }

    it('resolves an incident whose opening is still being written', async () => {
      const { record, job } = await fixture();
      const batcher = new IngestBatcher(new EventStore(knex), 1000, 4);
      const incident = (kind: string, id: string, resolvedAt?: Date) =>
        job(kind, {
          external_id: `phaset:incident:${id}`,
          incident_id: id,
          opened_at: new Date('2024-11-27T14:44:00.000Z'),
          resolved_at: resolvedAt ?? null,
        });
      const resolvedAt = new Date('2024-11-27T14:46:40.000Z');
      const outcomes = [];
      for (let i = 0; i < 5; i++) {
        // The opening is dispatched, then its resolution arrives while it is in flight.
        outcomes.push(batcher.submit(incident('incident-opened', `I${i}`)));
        outcomes.push(batcher.submit(job('comment')));
        await tick();
        outcomes.push(batcher.submit(job('comment')));
        outcomes.push(
          batcher.submit(incident('incident-resolved', `I${i}`, resolvedAt)),
        );
        outcomes.push(batcher.submit(job('comment')));
        await tick();
      }
      const results = await Promise.all(outcomes);
      expect(results.every(r => r.accepted === 1)).toBe(true);
      await batcher.idle();
      const opened = (await storedEvents(knex, record.id)).filter(
        e => e.kind === 'incident-opened',
      );
      expect(opened).toHaveLength(5);
      for (const event of opened) {
        expect(event.resolved_at).toBe('2024-11-27T14:46:40.000Z');
      }
      expect(await countRows(knex, record.id)).toEqual({ events: 25, raw: 25 });
    });

    it('stores each delivery once when two instances write the same ones at once', async () => {
      const { record, tokenId, job } = await fixture();
      // One instance writes a Record's deliveries one write at a time; two
      // instances (replicas) write them concurrently.
      const instances = [
        new IngestBatcher(new EventStore(knex), 1000, 4),
        new IngestBatcher(new EventStore(knex), 1000, 4),
      ];
      const change = (sha: string) =>
        job(
          'change',
          { external_id: `phaset:change:${sha}`, commit_sha: sha },
          `d-${sha}`,
        );
      const outcomes = [];
      // The same five deliveries, resent in opposite orders by concurrent writes.
      for (let round = 0; round < 4; round++) {
        const shas = ['a', 'b', 'c', 'd', 'e'];
        for (const sha of round % 2 ? shas.reverse() : shas) {
          outcomes.push(instances[round % 2].submit(change(sha)));
        }
        await tick();
      }
      const results = await Promise.all(outcomes);
      expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(5);
      expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(15);
      expect(await countRows(knex, record.id)).toEqual({ events: 5, raw: 5 });
      const token = await knex('phaset_tokens').where({ id: tokenId }).first();
      expect(Number(token.deliveries_accepted)).toBe(20);
    });
  },
);
