import { Knex } from 'knex';

/** Rows or values per statement: well under both engines' bound-parameter limits. */
const CHUNK = 500;

/** `items` in slices a statement can take. */
export function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}

/**
 * Record ids in the slices the statements of a read over many Records take:
 * on PostgreSQL all at once, bound as one array (`whereRecordIn`), so that
 * the 10,000 Records of an owners' roll-up are one statement, not twenty in
 * turn; on SQLite in chunks, bound one by one.
 */
export function recordIdSlices(db: Knex, ids: string[]): string[][] {
  if (db.client.dialect !== 'postgresql') return chunks(ids);
  return ids.length > 0 ? [ids] : [];
}

/** Rows of `query` whose `column` is one of `ids` (a slice of recordIdSlices). */
export function whereRecordIn<Q extends Knex.QueryBuilder>(
  db: Knex,
  query: Q,
  column: string,
  ids: string[],
): Q {
  return db.client.dialect === 'postgresql'
    ? (query.whereRaw('?? = ANY(?::text[])', [column, ids]) as Q)
    : (query.whereIn(column, ids) as Q);
}
