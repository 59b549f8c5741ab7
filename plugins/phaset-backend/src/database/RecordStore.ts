import { Knex } from 'knex';
import { RecordUpdate } from '@internal/backstage-plugin-phaset-common';
import { KeyColumn, Page, PageRequest, readPage } from './paging';
import { RecordOrigin, RecordRow, TABLES } from './tables';
import { toIsoString } from './time';

export type { RecordOrigin } from './tables';

export type StoredRecord = {
  id: string;
  organizationId: string;
  entityRef?: string;
  origin: RecordOrigin;
  manifest?: RecordUpdate;
  manifestRaw?: string;
  manifestUpdatedAt?: string;
  createdAt: string;
  updatedAt: string;
};

const TABLE = TABLES.records;
const RECORD_PAGE_KEY: KeyColumn[] = [{ column: 'id', type: 'string' }];

function fromRow(row: RecordRow): StoredRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    entityRef: row.entity_ref ?? undefined,
    origin: row.origin,
    manifest: row.manifest ? JSON.parse(row.manifest) : undefined,
    manifestRaw: row.manifest_raw ?? undefined,
    manifestUpdatedAt: row.manifest_updated_at
      ? toIsoString(row.manifest_updated_at)
      : undefined,
    createdAt: toIsoString(row.created_at),
    updatedAt: toIsoString(row.updated_at),
  };
}

export class RecordStore {
  constructor(private readonly db: Knex) {}

  async get(id: string): Promise<StoredRecord | undefined> {
    const row = await this.db<RecordRow>(TABLE).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async list(
    filter: { organizationId?: string } = {},
  ): Promise<StoredRecord[]> {
    const query = this.db<RecordRow>(TABLE).orderBy('id');
    if (filter.organizationId) {
      query.where({ organization_id: filter.organizationId });
    }
    return (await query).map(fromRow);
  }

  /** One page of the Records, by id (index phaset_records_page_idx with an organisation). */
  page(
    filter: { organizationId?: string },
    page: PageRequest,
  ): Promise<Page<StoredRecord>> {
    const query = this.db<RecordRow>(TABLE);
    if (filter.organizationId) {
      query.where({ organization_id: filter.organizationId });
    }
    return readPage(query, RECORD_PAGE_KEY, page, fromRow);
  }

  /** Inserts the Record, or updates its registration if it exists. */
  async upsert(record: {
    id: string;
    organizationId: string;
    entityRef?: string;
    origin: RecordOrigin;
  }): Promise<StoredRecord> {
    const now = new Date();
    await this.db<RecordRow>(TABLE)
      .insert({
        id: record.id,
        organization_id: record.organizationId,
        entity_ref: record.entityRef ?? null,
        origin: record.origin,
        created_at: now,
        updated_at: now,
      })
      .onConflict('id')
      .merge(['organization_id', 'entity_ref', 'origin', 'updated_at']);
    return (await this.get(record.id))!;
  }

  /** Inserts a new Record; false when the id is taken. */
  async create(record: {
    id: string;
    organizationId: string;
    entityRef?: string;
    origin: RecordOrigin;
  }): Promise<boolean> {
    const now = new Date();
    try {
      await this.db<RecordRow>(TABLE).insert({
        id: record.id,
        organization_id: record.organizationId,
        entity_ref: record.entityRef ?? null,
        origin: record.origin,
        created_at: now,
        updated_at: now,
      });
      return true;
    } catch (error) {
      // A unique violation looks different on each engine; the row tells.
      if (await this.get(record.id)) {
        return false;
      }
      throw error;
    }
  }

  async setManifest(
    id: string,
    manifest: RecordUpdate,
    raw: string,
  ): Promise<void> {
    const now = new Date();
    await this.db<RecordRow>(TABLE)
      .where({ id })
      .update({
        manifest: JSON.stringify(manifest),
        manifest_raw: raw,
        manifest_updated_at: now,
        updated_at: now,
      });
  }

  /**
   * Deletes the Record; its tokens, Standards results, raw deliveries and
   * events go with it (foreign keys, ON DELETE CASCADE).
   */
  async delete(id: string): Promise<boolean> {
    const deleted = await this.db<RecordRow>(TABLE).where({ id }).delete();
    return deleted > 0;
  }
}
