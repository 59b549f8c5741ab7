import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { DbTime } from './tables';
import { toDate } from './time';

/** Which page to read: at most `limit` rows after the row `cursor` names. */
export type PageRequest = { limit: number; cursor?: string };

/** One page of a list; `nextCursor` is absent on the last page. */
export type Page<T> = { items: T[]; nextCursor?: string };

/**
 * A column of a list's sort key. Together the columns are unique and ordered
 * as an index of the table, so that a page is one index range scan.
 */
export type KeyColumn = { column: string; type: 'string' | 'time' };

const INVALID_CURSOR = 'cursor: is not a cursor this list answered';

/**
 * The cursor names the last row of a page by its sort key (times as ISO
 * 8601), as base64url JSON; clients pass it back without reading it.
 */
function encodeCursor(
  keys: readonly KeyColumn[],
  row: Record<string, unknown>,
): string {
  const values = keys.map(({ column, type }) =>
    type === 'time'
      ? toDate(row[column] as DbTime).toISOString()
      : String(row[column]),
  );
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The sort key a cursor names, as bindings; 400 naming `cursor` otherwise. */
function decodeCursor(
  keys: readonly KeyColumn[],
  cursor: string,
): Array<string | Date> {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError(INVALID_CURSOR);
  }
  if (
    !Array.isArray(values) ||
    values.length !== keys.length ||
    values.some(value => typeof value !== 'string')
  ) {
    throw new InputError(INVALID_CURSOR);
  }
  return keys.map(({ type }, i) => {
    if (type === 'string') {
      return values[i];
    }
    const time = new Date(values[i]);
    if (Number.isNaN(time.getTime())) {
      throw new InputError(INVALID_CURSOR);
    }
    return time;
  });
}

/**
 * Reads one page of `query` in the order of `keys`: the rows after the
 * cursor's (a row-value comparison both engines answer from an index whose
 * columns follow the query's equality filters), one more than `limit` to
 * know whether another page follows. Never an OFFSET.
 */
export async function readPage<Item>(
  query: Knex.QueryBuilder,
  keys: readonly KeyColumn[],
  page: PageRequest,
  toItem: (row: any) => Item,
): Promise<Page<Item>> {
  if (page.cursor !== undefined) {
    const after = decodeCursor(keys, page.cursor);
    const list = (mark: string) => keys.map(() => mark).join(', ');
    query.whereRaw(`(${list('??')}) > (${list('?')})`, [
      ...keys.map(key => key.column),
      ...after,
    ]);
  }
  for (const { column } of keys) {
    query.orderBy(column);
  }
  const rows: Array<Record<string, unknown>> = await query.limit(
    page.limit + 1,
  );
  const items = rows.slice(0, page.limit);
  return {
    items: items.map(toItem),
    ...(rows.length > page.limit && {
      nextCursor: encodeCursor(keys, items[items.length - 1]),
    }),
  };
}
