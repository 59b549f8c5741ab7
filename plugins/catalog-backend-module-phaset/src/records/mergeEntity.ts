import { Entity, EntityLink } from '@backstage/catalog-model';

function union(a: unknown, b: unknown): string[] | undefined {
  const items = [
    ...((Array.isArray(a) ? a : []) as string[]),
    ...((Array.isArray(b) ? b : []) as string[]),
  ];
  const seen = new Set<string>();
  const result = items.filter(item => {
    const key = String(item).toLocaleLowerCase('en-US');
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return result.length ? result : undefined;
}

/**
 * Merges the Component mapped from a manifest into an existing entity (e.g.
 * from catalog-info.yaml). The existing entity wins every conflict: its
 * scalar fields, annotations and labels are kept and the manifest only fills
 * what is missing; tags, links, `providesApis` and `dependsOn` are unions.
 * Identity (kind, namespace, name) is always the existing entity's.
 *
 * @public
 */
export function mergeManifestComponent(
  existing: Entity,
  mapped: Entity,
): Entity {
  const existingLinks = existing.metadata.links ?? [];
  const links: EntityLink[] = [
    ...existingLinks,
    ...(mapped.metadata.links ?? []).filter(
      link => !existingLinks.some(other => other.url === link.url),
    ),
  ];
  const tags = union(existing.metadata.tags, mapped.metadata.tags);
  const providesApis = union(
    existing.spec?.providesApis,
    mapped.spec?.providesApis,
  );
  const dependsOn = union(existing.spec?.dependsOn, mapped.spec?.dependsOn);
  const labels = { ...mapped.metadata.labels, ...existing.metadata.labels };
  return {
    ...existing,
    metadata: {
      ...mapped.metadata,
      ...existing.metadata,
      annotations: {
        ...mapped.metadata.annotations,
        ...existing.metadata.annotations,
      },
      ...(Object.keys(labels).length && { labels }),
      ...(tags && { tags }),
      ...(links.length && { links }),
    },
    spec: {
      ...mapped.spec,
      ...existing.spec,
      ...(providesApis && { providesApis }),
      ...(dependsOn && { dependsOn }),
    },
  };
}
