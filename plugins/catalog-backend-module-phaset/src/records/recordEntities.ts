import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
  stringifyLocationRef,
} from '@backstage/catalog-model';
import { ManifestToEntitiesOptions, manifestToEntities } from '../mapping';
import { CatalogRecord } from './recordReader';

/**
 * Location key of System entities: every Record naming the same system and
 * domain yields the identical System, and a shared key lets whichever
 * provider or location emits it next update it instead of conflicting.
 *
 * @public
 */
export const PHASET_SYSTEM_LOCATION_KEY = 'phaset:system';

/**
 * Refresh key that every Component carries, so that a change of the Record
 * linked to it reprocesses it at once (`connection.refresh`).
 *
 * @public
 */
export function phasetRefreshKey(entityRef: string): string {
  return `phaset:entity:${entityRef.toLocaleLowerCase('en-US')}`;
}

/** @public */
export function isSystemEntity(entity: Entity): boolean {
  return entity.kind === 'System';
}

const isAbsoluteHttpUrl = (value: string) => /^https?:\/\//i.test(value);

/**
 * A pushed manifest has no location that a relative `schemaPath` could be
 * resolved against, so such a definition says so instead of failing the
 * API entity in the placeholder processor.
 */
function withoutRelativeSchemaPaths(entity: Entity): Entity {
  const definition = entity.spec?.definition as { $text?: string } | undefined;
  if (
    entity.kind !== 'API' ||
    !definition?.$text ||
    isAbsoluteHttpUrl(definition.$text)
  ) {
    return entity;
  }
  return {
    ...entity,
    spec: {
      ...entity.spec,
      definition: `schemaPath "${definition.$text}" is not an absolute URL. The Record was pushed from CI, so there is no location to resolve it against; give an absolute https URL in phaset.manifest.json.`,
    },
  };
}

/**
 * The entities of a Record pushed from CI: the mapping plus the location
 * annotations an entity provider must set.
 *
 * @public
 */
export function pushedRecordEntities(
  record: CatalogRecord & { manifest: NonNullable<CatalogRecord['manifest']> },
  options: Pick<
    ManifestToEntitiesOptions,
    'namespace' | 'resolveDependency' | 'entityRef'
  >,
): Entity[] {
  const location = stringifyLocationRef({
    type: 'phaset-record',
    target: `${record.organizationId}/${record.id}`,
  });
  return manifestToEntities(record.manifest, {
    ...options,
    recordId: record.id,
    organizationId: record.organizationId,
  }).map(entity => {
    const patched = withoutRelativeSchemaPaths(entity);
    return {
      ...patched,
      metadata: {
        ...patched.metadata,
        annotations: {
          ...patched.metadata.annotations,
          [ANNOTATION_LOCATION]: location,
          [ANNOTATION_ORIGIN_LOCATION]: location,
        },
      },
    };
  });
}

/** @public */
export function entityRefOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}
