import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { DoraFactStore } from './DoraFactStore';

const migrationsDir = resolvePackagePath(
  '@internal/backstage-plugin-phaset-backend',
  'migrations',
);

/**
 * Brings the plugin's tables up to date, then builds the DORA facts of events
 * stored before the fact tables existed.
 */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: migrationsDir,
    tableName: 'phaset_knex_migrations',
  });
  await new DoraFactStore(knex).backfill();
}
