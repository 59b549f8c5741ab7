import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { StoredRecord } from '../database/RecordStore';

/**
 * The catalog owner of each Record: of its linked entity, else of the
 * Component the catalog module creates for it (named by its lowercased id).
 */
export async function catalogOwners(
  catalog: CatalogService,
  auth: AuthService,
  records: StoredRecord[],
): Promise<Map<string, string>> {
  if (records.length === 0) {
    return new Map();
  }
  const refs = records.map(
    r => r.entityRef ?? `component:default/${r.id.toLowerCase()}`,
  );
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: refs, fields: ['kind', 'metadata.namespace', 'spec.owner'] },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  const owners = new Map<string, string>();
  items.forEach((entity, i) => {
    const owner = entity?.spec?.owner;
    if (typeof owner === 'string') {
      owners.set(
        records[i].id,
        stringifyEntityRef(
          parseEntityRef(owner, {
            defaultKind: 'group',
            defaultNamespace: entity?.metadata.namespace ?? 'default',
          }),
        ),
      );
    }
  });
  return owners;
}
