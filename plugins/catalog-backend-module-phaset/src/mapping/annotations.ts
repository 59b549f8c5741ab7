/*
 * Annotations written by the manifest mapping that
 * `@internal/backstage-plugin-phaset-common` does not define (yet). All live
 * under the same `phaset.dev/` prefix; see docs/catalog.md.
 */

/** The Record's group id exactly as Phaset spells it. @public */
export const ANNOTATION_PHASET_GROUP_ID = 'phaset.dev/group-id';
/** The Record's system id exactly as Phaset spells it. @public */
export const ANNOTATION_PHASET_SYSTEM_ID = 'phaset.dev/system-id';
/** The Record's domain id exactly as Phaset spells it. @public */
export const ANNOTATION_PHASET_DOMAIN_ID = 'phaset.dev/domain-id';
/** JSON array of the manifest's `dependencies`, as given. @public */
export const ANNOTATION_PHASET_DEPENDENCIES = 'phaset.dev/dependencies';
/** JSON array of the manifest's `tags`, written when any tag did not survive verbatim as a tag. @public */
export const ANNOTATION_PHASET_TAGS = 'phaset.dev/tags';
/** JSON array of the links Backstage cannot hold (URL not absolute). @public */
export const ANNOTATION_PHASET_LINKS = 'phaset.dev/links';
/** JSON object of the metadata entries whose key cannot be an annotation key. @public */
export const ANNOTATION_PHASET_METADATA = 'phaset.dev/metadata';
/** JSON of the whole `baseline` object, written when it has properties besides `id`. @public */
export const ANNOTATION_PHASET_BASELINE = 'phaset.dev/baseline';
/** On API entities: JSON of the whole `api[]` item, written when it has properties besides `name` and `schemaPath`. @public */
export const ANNOTATION_PHASET_API = 'phaset.dev/api';
/** Label key prefix for `key:value` tags (facets), e.g. `phaset.dev/lang`. @public */
export const LABEL_PHASET_FACET_PREFIX = 'phaset.dev/';
