import { makeValidator } from '@backstage/catalog-model';
import { LABEL_PHASET_FACET_PREFIX } from './annotations';

const validators = makeValidator();

/** @public */
export interface MappedTags {
  tags: string[];
  labels: Record<string, string>;
  /** True when every Phaset tag became exactly the same Backstage tag. */
  verbatim: boolean;
}

/**
 * Backstage tags are sequences of `[a-z0-9:+#]` joined by single dashes, at
 * most 63 characters. Phaset also allows upper case, `.`, `_` and `~`: those
 * are lowercased or turned into separators. May return an empty string.
 *
 * @public
 */
export function normalizeTag(tag: string): string {
  return tag
    .toLowerCase()
    .replace(/[^a-z0-9:+#]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

function facetLabel(tag: string): { key: string; value: string } | undefined {
  const parts = tag.split(':');
  if (parts.length !== 2) {
    return undefined;
  }
  const key = `${LABEL_PHASET_FACET_PREFIX}${parts[0]}`;
  const value = parts[1];
  if (
    parts[0] &&
    value &&
    validators.isValidLabelKey(key) &&
    validators.isValidLabelValue(value)
  ) {
    return { key, value };
  }
  return undefined;
}

/**
 * Splits Phaset tags into Backstage tags and labels: a `key:value` facet
 * becomes the label `phaset.dev/<key>` (first one per key), every other tag
 * is normalized. Tags that normalize to nothing or to a duplicate are only
 * kept by the caller's `phaset.dev/tags` annotation, which `verbatim: false`
 * asks for.
 *
 * @public
 */
export function mapTags(phasetTags: readonly string[]): MappedTags {
  const tags: string[] = [];
  const labels: Record<string, string> = {};
  let verbatim = true;

  for (const tag of phasetTags) {
    const facet = facetLabel(tag);
    if (facet && !(facet.key in labels)) {
      labels[facet.key] = facet.value;
      verbatim = false;
      continue;
    }
    const normalized = normalizeTag(tag);
    if (normalized !== tag) {
      verbatim = false;
    }
    if (!validators.isValidTag(normalized) || tags.includes(normalized)) {
      verbatim = false;
      continue;
    }
    tags.push(normalized);
  }
  return { tags, labels, verbatim };
}
