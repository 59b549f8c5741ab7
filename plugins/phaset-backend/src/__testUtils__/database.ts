import { Knex } from 'knex';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { applyDatabaseMigrations } from '../database/migrations';
import { testDatabases } from './startPhasetBackend';

/** A fresh database of that engine with every migration applied, for store tests. */
export async function migratedDatabase(
  databaseId: TestDatabaseId,
): Promise<Knex> {
  const knex = await testDatabases.init(databaseId);
  await applyDatabaseMigrations(knex);
  return knex;
}
