import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_PHASET_RECORD_ID } from '@internal/backstage-plugin-phaset-common';

/** True when the entity is linked to a Phaset Record. @public */
export function isPhasetAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_PHASET_RECORD_ID]);
}

/** The Phaset Record id of an entity, if it has one. @public */
export function getPhasetRecordId(entity: Entity): string | undefined {
  return (
    entity.metadata.annotations?.[ANNOTATION_PHASET_RECORD_ID] || undefined
  );
}

/** Group entities get the team tab. @public */
export function isGroupEntity(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'group';
}

/** Components without a Record: the ones "Connect to Phaset" is offered on. @public */
export function isConnectableEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    !isPhasetAvailable(entity)
  );
}
