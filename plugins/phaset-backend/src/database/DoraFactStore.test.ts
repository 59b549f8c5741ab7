import { Knex } from 'knex';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { migratedDatabase } from '../__testUtils__/database';
import { eventRow, historyFacts } from '../__testUtils__/events';
import { testDatabases } from '../__testUtils__/startPhasetBackend';
import { doraSamples, summarizeDora, Window } from '../metrics/computeMetrics';
import { samplesFromDoraFacts } from '../metrics/doraFacts';
import { DoraFactStore } from './DoraFactStore';
import { EventStore, IngestJob } from './EventStore';
import { MetricsStore } from './MetricsStore';
import { RecordStore } from './RecordStore';
import { EventRow, TABLES } from './tables';
import { TokenStore } from './TokenStore';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (days: number) => new Date(T0 + days * DAY);
const NOW = T0 + 400 * DAY;
let sequence = 0;

type EventSpec = Partial<EventRow> & { kind: string };

const change = (sha: string, days: number): EventSpec => ({
  kind: 'change',
  external_id: `change:${sha}:${++sequence}`,
  commit_sha: sha,
  occurred_at: at(days),
});
const deployment = (
  sha: string,
  days: number,
  result = 'success',
): EventSpec => ({
  kind: 'deployment',
  external_id: `deployment:${++sequence}`,
  commit_sha: sha,
  result,
  is_production: true,
  occurred_at: at(days),
});
const opened = (id: string, days: number): EventSpec => ({
  kind: 'incident-opened',
  external_id: `opened:${id}`,
  incident_id: id,
  opened_at: at(days),
  occurred_at: at(days),
});
const resolved = (id: string, openedDays: number, days: number): EventSpec => ({
  kind: 'incident-resolved',
  external_id: `resolved:${id}`,
  incident_id: id,
  opened_at: at(openedDays),
  resolved_at: at(days),
  occurred_at: at(days),
});

/** Seeded PRNG so a failing random stream can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

/** An EventStore whose DORA facts miss one kind of update: a mutant. */
class NoRelink extends DoraFactStore {
  protected relinkIncidents() {}
}
class NoMovedChanges extends DoraFactStore {
  protected moveChanges() {}
}

describe.each(testDatabases.eachSupportedId())(
  'DoraFactStore on %s',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    let records: RecordStore;
    let tokens: TokenStore;
    let recordNumber = 0;

    beforeAll(async () => {
      knex = await migratedDatabase(databaseId);
      records = new RecordStore(knex);
      tokens = new TokenStore(knex);
    });
    afterAll(() => knex.destroy());

    /** A fresh Record with webhooks tok-a and tok-b, and a store writing to it. */
    async function newRecord(facts?: DoraFactStore) {
      const id = `dfrec${String(++recordNumber).padStart(5, '0')}`;
      await records.create({ id, organizationId: 'org', origin: 'api' });
      for (const name of ['a', 'b']) {
        await tokens.insert({
          id: `${id}-${name}`,
          recordId: id,
          name,
          hash: `${id}-${name}`.padEnd(64, '0'),
          origin: 'api',
        });
      }
      const folds = facts ?? new DoraFactStore(knex);
      const eventStore = new EventStore(knex, tokens, folds);
      /** Stores, then folds the facts: what ingestion and its worker do. */
      const store = {
        write: async (jobs: IngestJob[]) => {
          const outcomes = await eventStore.write(jobs);
          await folds.foldPending([id]);
          return outcomes;
        },
      };
      const job = (
        events: EventSpec[],
        fields: { deliveryId?: string; token?: string } = {},
      ): IngestJob => {
        const rawId = `raw-${++sequence}`;
        const tokenId = `${id}-${fields.token ?? 'a'}`;
        return {
          raw: {
            id: rawId,
            record_id: id,
            token_id: tokenId,
            source: 'phaset',
            delivery_id: fields.deliveryId ?? null,
            endpoint: null,
            headers: '{}',
            body: '{}',
            received_at: new Date(),
          },
          events: events.map(e =>
            eventRow({
              id: `ev-${++sequence}`,
              record_id: id,
              raw_event_id: rawId,
              token_id: tokenId,
              source: 'phaset',
              ...e,
            }),
          ),
        };
      };
      /** Each list is one delivery, written one after the other. */
      const post = async (...deliveries: EventSpec[][]) => {
        for (const events of deliveries) await store.write([job(events)]);
      };
      return { id, store, eventStore, folds, job, post };
    }

    const queued = async (recordId: string) =>
      (await knex(TABLES.doraPending).where({ record_id: recordId })).length;

    async function factRows(db: Knex, recordId: string) {
      const read = async (table: string, order: string) =>
        (await db(table).where({ record_id: recordId }).orderBy(order)).map(
          row =>
            Object.fromEntries(
              Object.entries(row).map(([k, v]) => [
                k,
                typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v,
              ]),
            ),
        );
      return {
        deployments: await read(TABLES.doraDeployments, 'at'),
        changes: await read(TABLES.doraChanges, 'commit_sha'),
        incidents: await read(TABLES.doraIncidents, 'incident_key'),
      };
    }

    /**
     * The stored facts equal a rebuild from the events, and the metrics read
     * from them equal the reference definitions over the whole history.
     */
    async function expectExact(recordId: string, windows: Window[]) {
      expect(await queued(recordId)).toBe(0);
      const stored = await factRows(knex, recordId);
      const tx = await knex.transaction();
      await new DoraFactStore(knex).rebuild(tx, [recordId]);
      const rebuilt = await factRows(tx, recordId);
      await tx.rollback();
      expect(stored).toEqual(rebuilt);

      const metrics = new MetricsStore(knex);
      const all = await historyFacts(knex, recordId);
      for (const w of windows) {
        const read = (await metrics.doraFacts([recordId], w)).get(recordId)!;
        expect({
          w,
          dora: summarizeDora(samplesFromDoraFacts(read, w), NOW),
        }).toEqual({ w, dora: summarizeDora(doraSamples(all, w), NOW) });
      }
    }

    const windows = (...bounds: Array<[number, number]>): Window[] =>
      bounds.map(([from, to]) => ({
        from: T0 + from * DAY,
        to: T0 + to * DAY,
      }));
    const everyWindow = windows(
      [-30, 400],
      [0, 5],
      [5, 10],
      [2, 3],
      [10, 20],
      [100, 300],
    );

    it('backfills the facts of events stored before they existed, with statistics (and on PostgreSQL the visibility map)', async () => {
      const { id, post } = await newRecord();
      await post([change('a', 1)], [deployment('a', 2)], [opened('i1', 3)]);
      await post([resolved('i1', 3, 4)], [deployment('b', 5)]);
      const built = await factRows(knex, id);
      for (const table of [
        TABLES.doraDeployments,
        TABLES.doraChanges,
        TABLES.doraIncidents,
      ]) {
        await knex(table).where({ record_id: id }).delete();
      }
      expect(await new DoraFactStore(knex).backfill()).toBe(1);
      expect(await factRows(knex, id)).toEqual(built);
      await expectExact(id, everyWindow);
      // Nothing left to build.
      expect(await new DoraFactStore(knex).backfill()).toBe(0);
      const analyzed =
        knex.client.config.client === 'pg'
          ? await knex.raw(
              `SELECT 1 FROM pg_class WHERE relname = ? AND reltuples > 0 AND relallvisible > 0`,
              [TABLES.doraChanges],
            )
          : await knex.raw(`SELECT 1 FROM sqlite_stat1 WHERE tbl = ?`, [
              TABLES.doraChanges,
            ]);
      expect((analyzed.rows ?? analyzed).length).toBeGreaterThan(0);
    });

    it('ships a change posted after its deployment, and a commit deployed before its change is stamped', async () => {
      const { id, post } = await newRecord();
      await post([deployment('x', 5)], [deployment('y', 8)]);
      await post([change('a', 3)], [change('x', 6)], [change('b', 7)]);
      // An earlier change of x from another source moves its lead time.
      await post([change('x', 4)]);
      await expectExact(id, everyWindow);
      const dora = (
        await new MetricsStore(knex).doraFacts([id], windows([0, 20])[0])
      ).get(id)!;
      expect(dora.changes.map(c => [c.changedAt, c.deployedAt]).sort()).toEqual(
        [
          [at(3).getTime(), at(5).getTime()],
          [at(4).getTime(), at(5).getTime()],
          [at(7).getTime(), at(8).getTime()],
        ].sort(),
      );
    });

    it('moves changes and incident links when a deployment arrives before an older one', async () => {
      const { id, post } = await newRecord();
      await post([change('a', 1)], [change('b', 3)], [opened('i1', 4)]);
      await post([deployment('c', 9)], [opened('i2', 9.5)]);
      // An older deployment posted later: ships a and b earlier, takes i1.
      await post([deployment('d', 3.5)]);
      // And one older than everything: takes nothing from i1.
      await post([deployment('e', 0.5)]);
      await expectExact(id, everyWindow);
      const incidents = (
        await new MetricsStore(knex).doraFacts([id], windows([0, 20])[0])
      ).get(id)!.incidents;
      expect(incidents.map(i => [i.id, i.linkedAt]).sort()).toEqual([
        ['i1', at(3.5).getTime()],
        ['i2', at(9).getTime()],
      ]);
    });

    it('keeps an incident resolved months later, and counts a multi-commit delivery once', async () => {
      const { id, post, store, job } = await newRecord();
      await post([deployment('a', 1)], [opened('i1', 2)]);
      await store.write([job([deployment('b', 6), deployment('c', 6)])]);
      await post([resolved('i1', 2, 200)]);
      // Resolution posted before its opening.
      await post([resolved('i2', 7, 8)], [opened('i2', 7)]);
      await expectExact(id, [...everyWindow, ...windows([190, 210], [6, 7])]);
      const week = (
        await new MetricsStore(knex).doraFacts([id], windows([6, 7])[0])
      ).get(id)!;
      expect(week.deployments).toEqual([{ at: at(6).getTime(), count: 1 }]);
    });

    it('stores commits whose SHA has quotes, backslashes and semicolons (statements are sent together)', async () => {
      const { id, post } = await newRecord();
      const sha = "a'b\\c; DROP TABLE phaset_events; --";
      await post([deployment(sha, 2)], [change(sha, 1)], [deployment(sha, 3)]);
      await expectExact(id, everyWindow);
      expect((await factRows(knex, id)).changes).toEqual([
        expect.objectContaining({
          commit_sha: sha,
          deployed_at: at(2).getTime(),
        }),
      ]);
    });

    it('changes nothing on a redelivery', async () => {
      const { id, store, job } = await newRecord();
      const first = job([change('a', 1), deployment('a', 2), opened('i', 3)], {
        deliveryId: 'same',
      });
      await store.write([first]);
      const before = await factRows(knex, id);
      await store.write([
        job([change('a', 1), deployment('a', 2), opened('i', 3)], {
          deliveryId: 'same',
        }),
      ]);
      await store.write([
        {
          ...first,
          raw: { ...first.raw, id: 'raw-again', delivery_id: 'other' },
        },
      ]);
      expect(await factRows(knex, id)).toEqual(before);
      await expectExact(id, everyWindow);
    });

    it("rebuilds facts when a revoked webhook's data is deleted and on a recompute", async () => {
      const { id, eventStore: store, folds, job } = await newRecord();
      // Not folded yet: the rebuild takes what it read off the queue.
      await store.write([
        job([change('a', 1), deployment('a', 3), opened('i1', 4)], {
          token: 'a',
        }),
        job([deployment('b', 2), opened('i2', 2.5)], { token: 'b' }),
      ]);
      expect(await queued(id)).toBe(5);
      await store.deleteByToken(`${id}-b`);
      // Left: the rows of the deleted events, which the next fold drops.
      expect(await queued(id)).toBe(2);
      expect(await folds.foldPending([id])).toBe(2);
      await expectExact(id, everyWindow);
      expect((await factRows(knex, id)).deployments).toHaveLength(1);

      const kept = (await knex(TABLES.events).where({ record_id: id })).filter(
        e => e.kind !== 'incident-opened',
      );
      await store.replaceEvents(
        id,
        kept.map(e => ({
          ...e,
          occurred_at: new Date(Number(new Date(e.occurred_at))),
        })),
      );
      await expectExact(id, everyWindow);
      expect((await factRows(knex, id)).incidents).toEqual([]);
    });

    it('equals the reference on a random stream written in random order, several writes and folds at once', async () => {
      const { id, job, eventStore: store, folds } = await newRecord();
      const next = random(databaseId.length * 104729);
      const day = () => Math.floor(next() * 3650) / 10;
      const sha = () => `s${Math.floor(next() * 60)}`;
      const jobs: IngestJob[] = [];
      for (let i = 0; i < 600; i++) {
        const r = next();
        const incident = `i${Math.floor(next() * 40)}`;
        const openedAt = day();
        let events: EventSpec[];
        if (r < 0.35) events = [change(sha(), day())];
        else if (r < 0.6)
          events = [
            deployment(sha(), day(), next() < 0.15 ? 'failure' : 'success'),
          ];
        // A multi-commit delivery: one deployment.
        else if (r < 0.65)
          events = [deployment(sha(), openedAt), deployment(sha(), openedAt)];
        else if (r < 0.82) events = [opened(incident, openedAt)];
        else events = [resolved(incident, openedAt, openedAt + next() * 60)];
        jobs.push(
          job(events, {
            deliveryId: next() < 0.05 ? 'redelivered' : undefined,
          }),
        );
      }
      // Folds run beside the writes, at random points: a fold may see
      // events of writes it does not take off the queue.
      const folded: number[] = [];
      for (let i = 0; i < jobs.length; i += 6) {
        const [, fold] = await Promise.all([
          store.write(jobs.slice(i, i + 2)),
          next() < 0.5 ? folds.foldPending([id]) : 0,
          store.write(jobs.slice(i + 2, i + 4)),
          store.write(jobs.slice(i + 4, i + 6)),
        ]);
        folded.push(fold);
      }
      expect(folded.filter(n => n > 0).length).toBeGreaterThan(10);
      await folds.foldPending([id]);
      const random30 = Array.from({ length: 20 }, () => {
        const from = day() - 10;
        return [from, from + 1 + next() * 90] as [number, number];
      });
      const stored = await factRows(knex, id);
      expect(stored.deployments.length).toBeGreaterThan(100);
      expect(
        stored.changes.filter(c => c.deployed_at !== null).length,
      ).toBeGreaterThan(30);
      expect(
        stored.incidents.filter(c => c.linked_at !== null).length,
      ).toBeGreaterThan(20);
      await expectExact(id, [...everyWindow, ...windows(...random30)]);
    });

    it.each([
      ['incident links', NoRelink],
      ['changes shipped earlier', NoMovedChanges],
    ])(
      'fails when a new deployment does not update %s (a test of the test)',
      async (_, Mutant) => {
        const { id, post } = await newRecord(new Mutant(knex));
        await post([change('a', 1)], [opened('i1', 4)]);
        await post([deployment('c', 9)]);
        await post([deployment('d', 3.5)]);
        await expect(expectExact(id, everyWindow)).rejects.toThrow();
      },
    );
  },
);
