import { Knex } from 'knex';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { migratedDatabase } from '../__testUtils__/database';
import { eventRow, rawDelivery } from '../__testUtils__/events';
import { testDatabases } from '../__testUtils__/startPhasetBackend';
import { DoraFactStore } from '../database/DoraFactStore';
import { EventStore, IngestJob } from '../database/EventStore';
import { MetricsStore } from '../database/MetricsStore';
import { RecordStore } from '../database/RecordStore';
import { TABLES } from '../database/tables';
import { TokenStore } from '../database/TokenStore';
import { DoraFactWorker } from './DoraFactWorker';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const HOUR = 3_600_000;
const WINDOW = { from: T0 - 24 * HOUR, to: T0 + 24 * HOUR };

describe.each(testDatabases.eachSupportedId())(
  'DoraFactWorker on %s',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    let events: EventStore;
    let sequence = 0;

    beforeAll(async () => {
      knex = await migratedDatabase(databaseId);
      events = new EventStore(knex);
    });
    afterAll(() => knex.destroy());

    async function newRecord() {
      const id = `dw${String(++sequence).padStart(8, '0')}`;
      await new RecordStore(knex).create({
        id,
        organizationId: 'org',
        origin: 'api',
      });
      await new TokenStore(knex).insert({
        id: `${id}-t`,
        recordId: id,
        name: 'ci',
        hash: id.padEnd(64, '0'),
        origin: 'api',
      });
      return id;
    }

    /** A change of `sha` an hour before T0 and its deployment at T0. */
    function changeAndDeployment(recordId: string, sha: string): IngestJob {
      const raw = `raw-${recordId}-${sha}`;
      const row = (kind: string, at: number) =>
        eventRow({
          id: `${raw}-${kind}`,
          record_id: recordId,
          raw_event_id: raw,
          token_id: `${recordId}-t`,
          source: 'phaset',
          kind,
          external_id: `${kind}:${sha}`,
          commit_sha: sha,
          result: kind === 'deployment' ? 'success' : null,
          is_production: kind === 'deployment',
          occurred_at: new Date(at),
        });
      return {
        raw: rawDelivery({
          id: raw,
          record_id: recordId,
          token_id: `${recordId}-t`,
        }),
        events: [row('change', T0 - HOUR), row('deployment', T0)],
      };
    }

    const queued = async (recordId: string) =>
      (await knex(TABLES.doraPending).where({ record_id: recordId })).length;
    const facts = async (recordId: string) =>
      (await new MetricsStore(knex).doraFacts([recordId], WINDOW)).get(
        recordId,
      )!;
    const warnings: string[] = [];
    const worker = (store = new DoraFactStore(knex)) =>
      new DoraFactWorker(store, { warn: message => warnings.push(message) });

    it('folds a Record before a read, and only that Record', async () => {
      const [read, other] = [await newRecord(), await newRecord()];
      await events.write([
        changeAndDeployment(read, 'a'),
        changeAndDeployment(other, 'b'),
      ]);
      expect([await queued(read), await queued(other)]).toEqual([2, 2]);
      expect((await facts(read)).deployments).toEqual([]);

      await worker().catchUp([read]);
      expect([await queued(read), await queued(other)]).toEqual([0, 2]);
      const folded = await facts(read);
      expect(folded.deployments).toEqual([{ at: T0, count: 1 }]);
      expect(folded.changes).toEqual([
        expect.objectContaining({ changedAt: T0 - HOUR, deployedAt: T0 }),
      ]);
      // Without ids (the roll-up): every Record's.
      await worker().catchUp();
      expect(await queued(other)).toBe(0);
    });

    it('reads facts only when none of the Record is queued, in one statement', async () => {
      const [read, other] = [await newRecord(), await newRecord()];
      const store = new MetricsStore(knex);
      await events.write([
        changeAndDeployment(read, 'c'),
        changeAndDeployment(other, 'd'),
      ]);
      expect(await store.doraFactsIfFolded(read, WINDOW)).toBeUndefined();

      await worker().catchUp([read]);
      // The other Record's queue does not hold this one's read back.
      expect(await queued(other)).toBe(2);
      expect(await store.doraFactsIfFolded(read, WINDOW)).toEqual(
        await facts(read),
      );
      expect((await facts(read)).deployments).toEqual([{ at: T0, count: 1 }]);
    });

    it('folds the Records it is told of after the tick, together', async () => {
      const ids = [await newRecord(), await newRecord()];
      const store = new DoraFactStore(knex);
      const foldPending = jest.spyOn(store, 'foldPending');
      const folds = worker(store);
      await events.write(ids.map((id, i) => changeAndDeployment(id, `n${i}`)));
      // Two ingestion writes answered in the same tick.
      for (const id of ids) folds.notify([id]);
      expect(foldPending).not.toHaveBeenCalled();
      await folds.idle();
      expect(foldPending).toHaveBeenCalledTimes(1);
      expect(foldPending).toHaveBeenCalledWith(ids);
      for (const id of ids) {
        expect(await queued(id)).toBe(0);
        expect((await facts(id)).deployments).toEqual([{ at: T0, count: 1 }]);
      }
    });

    it('spaces its folds, taking what was notified meanwhile together', async () => {
      const ids = [await newRecord(), await newRecord(), await newRecord()];
      await events.write(ids.map((id, i) => changeAndDeployment(id, `s${i}`)));
      const store = new DoraFactStore(knex);
      const started: number[] = [];
      const foldPending = jest.spyOn(store, 'foldPending');
      foldPending.mockImplementation(async recordIds => {
        started.push(performance.now());
        return DoraFactStore.prototype.foldPending.call(store, recordIds);
      });
      const folds = new DoraFactWorker(store, console, 150);
      folds.notify([ids[0]]);
      await folds.idle();
      folds.notify([ids[1]]);
      folds.notify([ids[2]]);
      await folds.idle();
      expect(foldPending.mock.calls).toEqual([[[ids[0]]], [[ids[1], ids[2]]]]);
      // Timers may fire a millisecond early.
      expect(started[1] - started[0]).toBeGreaterThanOrEqual(149);
      for (const id of ids) expect(await queued(id)).toBe(0);
    });

    it('sweeps what a stopped replica acknowledged, once', async () => {
      const id = await newRecord();
      // Acknowledged by a replica that stopped before its fold.
      await events.write([changeAndDeployment(id, 'c')]);
      await Promise.all([worker().sweep(), worker().sweep()]);
      expect(await queued(id)).toBe(0);
      expect((await facts(id)).deployments).toEqual([{ at: T0, count: 1 }]);
    });

    it('leaves the events queued when a fold fails, and says so', async () => {
      const id = await newRecord();
      await events.write([changeAndDeployment(id, 'd')]);
      const store = new DoraFactStore(knex);
      jest
        .spyOn(store, 'foldPending')
        .mockRejectedValueOnce(new Error('connection lost'));
      const folds = worker(store);
      folds.notify([id]);
      await folds.idle();
      expect(warnings.pop()).toMatch(/could not fold .*connection lost/);
      expect(await queued(id)).toBe(2);
      await folds.catchUp([id]);
      expect(await queued(id)).toBe(0);
    });
  },
);
