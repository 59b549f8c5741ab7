import type { Entity } from '@backstage/catalog-model';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';

/** Paths of the entity tabs, under the entity page. */
export const TAB_PATHS = {
  record: 'phaset-record',
  standards: 'phaset-standards',
  metrics: 'phaset-metrics',
  review: 'phaset-review',
  integrations: 'phaset-integrations',
} as const;

/** Link to one of the Phaset tabs of an entity. */
export function useEntityTabLink(entity: Entity | string) {
  const entityLink = useEntityRefLink();
  return (tab: keyof typeof TAB_PATHS, search?: string) =>
    `${entityLink(entity)}/${TAB_PATHS[tab]}${search ? `?${search}` : ''}`;
}
