/** Dates come back as Date (PostgreSQL) or as string/number (SQLite). */
export function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toIsoString(value: Date | string | number): string {
  return toDate(value).toISOString();
}
