import { InputError } from '@backstage/errors';
import { Page, PageRequest } from '../database/paging';

/** A list's sort key: unique per item, compared element by element. */
export type SortKey = ReadonlyArray<number | string>;

const INVALID_CURSOR = 'cursor: is not a cursor this list answered';

function compare(a: SortKey, b: SortKey): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

function decode(cursor: string, like: SortKey): SortKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError(INVALID_CURSOR);
  }
  if (
    !Array.isArray(key) ||
    key.length !== like.length ||
    key.some((value, i) => typeof value !== typeof like[i])
  ) {
    throw new InputError(INVALID_CURSOR);
  }
  return key;
}

/** The cursor of the page after the item with this key. */
export function cursorAfter(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * One page of a list computed in memory (a window's facts of one Record), in
 * ascending order of `sortKey`: the items after the key the cursor names, as
 * the database lists page (paging.ts), so that a page stays right when items
 * come or go between requests. The key is not part of the items served.
 */
export function sortedPage<Item extends { sortKey: SortKey }>(
  items: Item[],
  page: PageRequest,
): Page<Omit<Item, 'sortKey'>> {
  const sorted = [...items].sort((a, b) => compare(a.sortKey, b.sortKey));
  let start = 0;
  if (page.cursor !== undefined) {
    const after =
      sorted.length > 0 ? decode(page.cursor, sorted[0].sortKey) : undefined;
    start = after
      ? sorted.findIndex(item => compare(item.sortKey, after) > 0)
      : -1;
    if (start === -1) start = sorted.length;
  }
  const slice = sorted.slice(start, start + page.limit);
  const last = slice[slice.length - 1];
  return {
    items: slice.map(({ sortKey, ...item }) => item),
    ...(start + page.limit < sorted.length && {
      nextCursor: cursorAfter(last.sortKey),
    }),
  };
}
