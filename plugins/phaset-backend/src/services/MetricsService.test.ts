import { Knex } from 'knex';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { migratedDatabase } from '../__testUtils__/database';
import { withLeadTimeMeanOf } from '../__testUtils__/dora';
import { eventRow, historyFacts } from '../__testUtils__/events';
import { testDatabases } from '../__testUtils__/startPhasetBackend';
import { DoraFactStore } from '../database/DoraFactStore';
import { DoraFactWorker } from './DoraFactWorker';
import { MetricsStore } from '../database/MetricsStore';
import { Page } from '../database/paging';
import { RecordStore, StoredRecord } from '../database/RecordStore';
import { EventRow, TABLES } from '../database/tables';
import {
  doraSamples,
  MetricsFacts,
  poolDoraSamples,
  summarizeDora,
  Window,
} from '../metrics/computeMetrics';
import { MetricsService } from './MetricsService';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const NOW = T0 + 200 * DAY;

/** Seeded PRNG so a failing random stream can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

/** Two owners of three Records each, and a Record the catalog knows no owner of. */
const OWNERS = new Map([
  ['rollup0001', 'group:default/team-a'],
  ['rollup0002', 'group:default/team-a'],
  ['rollup0003', 'group:default/team-a'],
  ['rollup0004', 'group:default/team-b'],
  ['rollup0005', 'group:default/team-b'],
  ['rollup0006', 'group:default/team-b'],
]);
const RECORDS = [...OWNERS.keys(), 'rollup0007'];

/** Changes, deployments (some failed or to staging) and incidents over 150 days. */
function stream(recordId: string, next: () => number): EventRow[] {
  const time = () => new Date(T0 + Math.floor(next() * 150 * DAY));
  const sha = () => `c${Math.floor(next() * 200)}`;
  const rows: EventRow[] = [];
  const row = (fields: Partial<EventRow> & { kind: string }) =>
    rows.push(
      eventRow({
        id: `${recordId}-${rows.length}`,
        record_id: recordId,
        raw_event_id: `raw-${recordId}-${rows.length}`,
        token_id: `${recordId}-token`,
        source: 'phaset',
        occurred_at: time(),
        ...fields,
      }),
    );
  for (let i = 0; i < 400; i++) {
    const r = next();
    if (r < 0.5) {
      row({ kind: 'change', commit_sha: sha() });
    } else if (r < 0.85) {
      const failed = next() < 0.1;
      row({
        kind: 'deployment',
        commit_sha: sha(),
        result: failed ? 'failure' : 'success',
        is_production: next() < 0.85,
      });
    } else {
      const opened = time();
      const incident = { incident_id: `i${i}`, opened_at: opened };
      row({ kind: 'incident-opened', occurred_at: opened, ...incident });
      if (next() < 0.8) {
        const resolved = new Date(opened.getTime() + next() * 5 * DAY);
        row({
          kind: 'incident-resolved',
          occurred_at: resolved,
          resolved_at: resolved,
          ...incident,
        });
      }
    }
  }
  return rows;
}

describe.each(testDatabases.eachSupportedId())(
  'MetricsService roll-up on %s',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    let service: MetricsService;
    const history = new Map<string, MetricsFacts>();

    beforeAll(async () => {
      knex = await migratedDatabase(databaseId);
      const records = new RecordStore(knex);
      const next = random(databaseId.length * 31337);
      for (const id of RECORDS) {
        await records.create({ id, organizationId: 'org', origin: 'api' });
        const rows = stream(id, next);
        for (let i = 0; i < rows.length; i += 200) {
          await knex(TABLES.events).insert(rows.slice(i, i + 200));
        }
      }
      await knex.transaction(tx =>
        new DoraFactStore(knex).rebuild(tx, RECORDS),
      );
      for (const id of RECORDS) history.set(id, await historyFacts(knex, id));
      const ownersOf = async (list: StoredRecord[]) =>
        new Map(
          list.flatMap(r =>
            OWNERS.has(r.id) ? [[r.id, OWNERS.get(r.id)!] as const] : [],
          ),
        );
      service = new MetricsService(
        new MetricsStore(knex),
        new DoraFactWorker(new DoraFactStore(knex), console),
        records,
        ownersOf,
        undefined,
        () => NOW,
      );
    });
    afterAll(() => knex.destroy());

    /** Every page of a roll-up list, in order. */
    async function everyPage<T>(
      read: (page: { cursor?: string }) => Promise<Page<T>>,
    ): Promise<T[]> {
      const items: T[] = [];
      let cursor: string | undefined;
      do {
        const page = await read({ cursor });
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    }

    /** The whole roll-up of `w`, read in small pages that Records and owners span. */
    async function rollupOf(w: Window) {
      return {
        records: await everyPage(page =>
          service.rollupRecords({ organizationId: 'org' }, w, {
            limit: 2,
            ...page,
          }),
        ),
        owners: await everyPage(page =>
          service.rollupOwners({ organizationId: 'org' }, w, {
            limit: 1,
            ...page,
          }),
        ),
      };
    }

    it("gives each Record's and each owner's DORA metrics of the whole history, in every window, page by page", async () => {
      const windows: Window[] = [
        { from: T0 - DAY, to: T0 + 160 * DAY },
        { from: T0 + 20 * DAY, to: T0 + 50 * DAY },
        { from: T0 + 70 * DAY + 0.5, to: T0 + 71 * DAY },
        { from: T0 + 100 * DAY, to: T0 + 190 * DAY },
      ];
      let ownerLeadTimes = 0;
      for (const w of windows) {
        const rollup = await rollupOf(w);
        expect(rollup.records.map(r => [r.recordId, r.owner])).toEqual(
          RECORDS.map(id => [id, OWNERS.get(id)]),
        );
        for (const row of rollup.records) {
          const expected = summarizeDora(
            doraSamples(history.get(row.recordId)!, w),
            NOW,
          );
          expect({
            w,
            id: row.recordId,
            dora: withLeadTimeMeanOf(row.dora, expected),
          }).toEqual({ w, id: row.recordId, dora: expected });
        }
        expect(rollup.owners.map(o => [o.owner, o.records])).toEqual([
          ['group:default/team-a', 3],
          ['group:default/team-b', 3],
        ]);
        for (const owner of rollup.owners) {
          const pooled = poolDoraSamples(
            [...OWNERS]
              .filter(([, o]) => o === owner.owner)
              .map(([id]) => doraSamples(history.get(id)!, w)),
            w,
          );
          const expected = summarizeDora(pooled, NOW);
          expect({
            w,
            owner: owner.owner,
            dora: withLeadTimeMeanOf(owner.dora, expected),
          }).toEqual({ w, owner: owner.owner, dora: expected });
          ownerLeadTimes += owner.dora.leadTimeForChanges.count;
        }
      }
      expect(ownerLeadTimes).toBeGreaterThan(500);
    });

    it('pages over the Records a filter or permission keeps, reading on past those it drops', async () => {
      const w: Window = { from: T0 - DAY, to: T0 + 160 * DAY };
      const pagesOf = async (
        filter: { owner?: string },
        readable?: (record: { owner?: string }) => boolean,
      ) => {
        const pages: string[][] = [];
        let cursor: string | undefined;
        do {
          const page = await service.rollupRecords(
            { organizationId: 'org', ...filter },
            w,
            { limit: 1, cursor },
            readable,
          );
          pages.push(page.items.map(r => r.recordId));
          cursor = page.nextCursor;
        } while (cursor);
        return pages;
      };
      expect(await pagesOf({ owner: 'group:default/team-b' })).toEqual([
        ['rollup0004'],
        ['rollup0005'],
        ['rollup0006'],
      ]);
      // The first reads find only team-a's Records, which the caller may not see.
      expect(
        await pagesOf({}, r => r.owner !== 'group:default/team-a'),
      ).toEqual([
        ['rollup0004'],
        ['rollup0005'],
        ['rollup0006'],
        ['rollup0007'],
      ]);
      expect(await pagesOf({}, () => false)).toEqual([[]]);
    });
  },
);
