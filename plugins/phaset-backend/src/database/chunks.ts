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
