import { RecordStore, StoredRecord } from '../database/RecordStore';
import type { OwnerLookup } from '../services/MetricsService';
import { PhasetRecordResource } from './rules';

export function toRecordResource(
  record: StoredRecord,
  owner: string | undefined,
): PhasetRecordResource {
  return {
    id: record.id,
    organizationId: record.organizationId,
    entityRef: record.entityRef,
    owner,
  };
}

/** Records as permission resources: with the catalog owner of their entity. */
export class RecordResources {
  constructor(
    private readonly store: Pick<RecordStore, 'get'>,
    private readonly ownersOf: OwnerLookup,
  ) {}

  /** One catalog request for all of them. */
  async of(records: StoredRecord[]): Promise<PhasetRecordResource[]> {
    const owners = await this.ownersOf(records);
    return records.map(record =>
      toRecordResource(record, owners.get(record.id)),
    );
  }

  /** In the order of `ids`; undefined for an id with no Record. */
  async byIds(ids: string[]): Promise<Array<PhasetRecordResource | undefined>> {
    const found = await Promise.all(ids.map(id => this.store.get(id)));
    const existing = found.filter((r): r is StoredRecord => r !== undefined);
    const resources = new Map(
      (await this.of(existing)).map(resource => [resource.id, resource]),
    );
    return ids.map(id => resources.get(id));
  }
}
