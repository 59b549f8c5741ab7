import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { isValidRecordId } from '@internal/backstage-plugin-phaset-common';

const MAX_NAME_LENGTH = 63;

/**
 * Lowercase ASCII letters and digits joined by single dashes; diacritics are
 * folded ("Café" → "cafe") and everything else becomes a separator, so the
 * result may be empty.
 *
 * @public
 */
export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The `metadata.name` of the entity of a Record: its id, lowercased. It
 * depends on nothing but the id, so it survives renames and any Record can
 * point at another one (`dependsOn`) before that one has been ingested.
 *
 * @public
 */
export function recordEntityName(recordId: string): string {
  if (!isValidRecordId(recordId)) {
    throw new TypeError(
      `Invalid Phaset Record ID "${recordId}", expected 10 letters or digits`,
    );
  }
  return recordId.toLowerCase();
}

/**
 * The default entity ref of the Component of a Record.
 *
 * @public
 */
export function recordEntityRef(
  recordId: string,
  namespace: string = DEFAULT_NAMESPACE,
): string {
  return `component:${namespace}/${recordEntityName(recordId)}`;
}

/**
 * The `metadata.name` of an API entity: the record's entity name plus the
 * slug of the API's name, made unique within the manifest by `taken`.
 *
 * @public
 */
export function apiEntityName(
  recordId: string,
  apiName: string,
  index: number,
  taken: ReadonlySet<string>,
): string {
  const base = recordEntityName(recordId);
  const fit = (suffix: string) =>
    `${base}-${suffix}`.slice(0, MAX_NAME_LENGTH).replace(/-+$/, '');

  const slug = slugify(apiName);
  if (slug && !taken.has(fit(slug))) {
    return fit(slug);
  }
  // Empty or colliding slugs fall back to the 1-based position.
  let candidate = fit(`api-${index + 1}`);
  for (let n = 2; taken.has(candidate); n++) {
    candidate = fit(`api-${index + 1}-${n}`);
  }
  return candidate;
}

/**
 * Phaset group, system and domain ids (8 letters or digits) become entity
 * names by lowercasing; Backstage compares names case-insensitively anyway.
 *
 * @public
 */
export function phasetIdEntityRef(
  kind: 'group' | 'system' | 'domain',
  id: string,
  namespace: string = DEFAULT_NAMESPACE,
): string {
  return `${kind}:${namespace}/${id.toLowerCase()}`;
}
