import fs from 'fs';
import { Knex } from 'knex';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { testDatabases } from '../__testUtils__/startPhasetBackend';
import { EVENT_COLUMNS, TABLES } from './tables';

const directory = resolvePackagePath(
  '@internal/backstage-plugin-phaset-backend',
  'migrations',
);
const MIGRATIONS = fs
  .readdirSync(directory)
  .filter(file => file.endsWith('.js'))
  .sort();
const config = { directory, tableName: 'phaset_knex_migrations' };

const up = (knex: Knex) => knex.migrate.up(config);
const down = (knex: Knex) => knex.migrate.down(config);

/** Runs every migration before `target`, one at a time. */
async function upTo(knex: Knex, target: string) {
  const index = MIGRATIONS.indexOf(target);
  expect(index).toBeGreaterThan(0);
  for (let i = 0; i < index; i++) await up(knex);
}

async function phasetTables(knex: Knex): Promise<string[]> {
  const names =
    knex.client.config.client === 'pg'
      ? (
          await knex.raw(
            `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`,
          )
        ).rows
      : await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'table'`);
  return names
    .map((row: { name: string }) => row.name)
    .filter(
      (name: string) =>
        name.startsWith('phaset_') && !name.startsWith('phaset_knex'),
    )
    .sort();
}

async function indexesOf(knex: Knex, table: string): Promise<string[]> {
  const rows =
    knex.client.config.client === 'pg'
      ? (
          await knex.raw(
            `SELECT indexname AS name FROM pg_indexes WHERE tablename = ?`,
            [table],
          )
        ).rows
      : await knex.raw(
          `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`,
          [table],
        );
  return rows.map((row: { name: string }) => row.name);
}

const now = new Date('2026-01-01T00:00:00Z');

async function insertRecord(knex: Knex, id: string) {
  await knex(TABLES.records).insert({
    id,
    organization_id: 'org',
    origin: 'api',
    created_at: now,
    updated_at: now,
  });
  await knex(TABLES.tokens).insert({
    id: `${id}-token`,
    record_id: id,
    name: 'ci',
    token_hash: 'a'.repeat(64),
    origin: 'api',
    created_at: now,
  });
}

function rawEvent(recordId: string, id: string, headers: object) {
  return {
    id,
    record_id: recordId,
    token_id: `${recordId}-token`,
    source: 'devlake',
    delivery_id: null,
    headers: JSON.stringify(headers),
    body: '',
    received_at: now,
  };
}

function event(recordId: string, id: string, rawId: string) {
  return {
    id,
    record_id: recordId,
    raw_event_id: rawId,
    token_id: `${recordId}-token`,
    source: 'phaset',
    kind: 'change',
    external_id: `phaset:change:${id}`,
    occurred_at: now,
    commit_sha: id,
  };
}

jest.setTimeout(60_000);

describe.each(testDatabases.eachSupportedId())(
  'Migrations on %s',
  (databaseId: TestDatabaseId) => {
    it('run up and down one at a time, leaving the schema the stores use', async () => {
      const knex = await testDatabases.init(databaseId);
      for (const _ of MIGRATIONS) await up(knex);
      expect(await phasetTables(knex)).toEqual(
        Object.values(TABLES).slice().sort(),
      );
      expect(Object.keys(await knex(TABLES.events).columnInfo())).toEqual(
        expect.arrayContaining([...EVENT_COLUMNS]),
      );
      expect(Object.keys(await knex(TABLES.events).columnInfo())).toHaveLength(
        EVENT_COLUMNS.length,
      );
      // Rebuilding a SQLite table to add a foreign key keeps its indexes.
      expect(await indexesOf(knex, TABLES.events)).toEqual(
        expect.arrayContaining([
          'phaset_events_changed_at_idx',
          'phaset_events_deployed_sha_idx',
          'phaset_events_incidents_idx',
          'phaset_events_page_idx',
          'phaset_events_pr_idx',
          'phaset_events_record_id_kind_external_id_unique',
          'phaset_events_record_id_kind_occurred_at_index',
          'phaset_events_token_id_index',
        ]),
      );
      // Every index costs each ingested event; these serve no query (20261129110000).
      for (const unused of [
        'phaset_events_record_id_commit_sha_index',
        'phaset_events_record_id_incident_id_index',
        'phaset_events_raw_event_id_index',
        'phaset_events_changed_sha_idx',
        'phaset_events_deployed_at_idx',
      ]) {
        expect(await indexesOf(knex, TABLES.events)).not.toContain(unused);
      }

      for (const _ of MIGRATIONS) await down(knex);
      expect(await phasetTables(knex)).toEqual([]);
      // And up again from nothing.
      await knex.migrate.latest(config);
      expect(await phasetTables(knex)).toEqual(
        Object.values(TABLES).slice().sort(),
      );
      await knex.destroy();
    });

    it("20261124100000 moves DevLake's endpoint from a made-up header to a column and back", async () => {
      const knex = await testDatabases.init(databaseId);
      await upTo(knex, '20261124100000_raw_event_endpoint.js');
      await insertRecord(knex, 'rec0000001');
      await knex(TABLES.rawEvents).insert([
        rawEvent('rec0000001', 'raw-close', {
          'content-type': 'application/json',
          'x-phaset-devlake-endpoint': 'close:DLK-1',
        }),
        rawEvent('rec0000001', 'raw-deploy', {
          'x-phaset-devlake-endpoint': 'deployments',
        }),
      ]);

      await up(knex);
      const rows = await knex(TABLES.rawEvents)
        .orderBy('id')
        .select('id', 'endpoint', 'headers');
      expect(rows.map(r => [r.id, r.endpoint, JSON.parse(r.headers)])).toEqual([
        [
          'raw-close',
          'issue/DLK-1/close',
          { 'content-type': 'application/json' },
        ],
        ['raw-deploy', 'deployments', {}],
      ]);

      await down(knex);
      const restored = await knex(TABLES.rawEvents).orderBy('id');
      expect(restored.map(r => JSON.parse(r.headers))).toEqual([
        {
          'content-type': 'application/json',
          'x-phaset-devlake-endpoint': 'close:DLK-1',
        },
        { 'x-phaset-devlake-endpoint': 'deployments' },
      ]);
      await knex.destroy();
    });

    it('20261124110000 drops rows of deleted Records, then cascades deletions', async () => {
      const knex = await testDatabases.init(databaseId);
      await upTo(knex, '20261124110000_record_foreign_keys.js');
      await insertRecord(knex, 'kept000001');
      await insertRecord(knex, 'gone000001');
      for (const recordId of ['kept000001', 'gone000001']) {
        await knex(TABLES.rawEvents).insert(
          rawEvent(recordId, `${recordId}-raw`, {}),
        );
        await knex(TABLES.events).insert(
          event(recordId, `${recordId}-event`, `${recordId}-raw`),
        );
      }
      // A Record deleted before the foreign keys existed left its events.
      await knex(TABLES.records).where({ id: 'gone000001' }).delete();
      expect(
        await knex(TABLES.events).where({ record_id: 'gone000001' }),
      ).toHaveLength(1);

      await up(knex);
      for (const table of [TABLES.events, TABLES.rawEvents]) {
        expect(
          (await knex(table).select('record_id')).map(r => r.record_id),
        ).toEqual(['kept000001']);
      }

      await knex(TABLES.standardsResults).insert({
        record_id: 'kept000001',
        baseline_id: 'default',
        passes: 1,
        warnings: 0,
        failures: 0,
        results: '[]',
        raw: '{}',
        created_at: now,
      });
      await knex(TABLES.records).where({ id: 'kept000001' }).delete();
      for (const table of [
        TABLES.tokens,
        TABLES.standardsResults,
        TABLES.rawEvents,
        TABLES.events,
      ]) {
        expect(await knex(table)).toEqual([]);
      }

      await down(knex);
      await insertRecord(knex, 'other00001');
      // Without the foreign keys, events may name any Record again.
      await knex(TABLES.rawEvents).insert(
        rawEvent('nosuchrec1', 'orphan-raw', {}),
      );
      expect(await knex(TABLES.rawEvents)).toHaveLength(1);
      await knex.destroy();
    });
  },
);
