import { z } from 'zod';

/*
 * What the backend's tables can hold (plugins/phaset-backend/migrations), so
 * that input is refused with a 400 naming the field instead of failing in the
 * database: PostgreSQL rejects NUL characters in text, strings longer than a
 * varchar(n) and integers beyond 32 bits, where SQLite stores anything.
 */

/** Longest value of an indexed text column (`varchar(255)`). @public */
export const MAX_STORED_TEXT = 255;

/** Longest commit SHA (`commit_sha varchar(64)`: SHA-256 in hex). @public */
export const MAX_COMMIT_SHA = 64;

/** Longest link to an event's page in its tool (`url text`); longer ones are dropped. @public */
export const MAX_STORED_URL = 2000;

/** Largest value of an `integer` column. @public */
export const MAX_STORED_INTEGER = 2_147_483_647;

/** @public */
export const NUL_MESSAGE = 'Must not contain NUL characters (\\u0000)';

/** Whether `value` can be stored in a text column of either engine. @public */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000');
}

/**
 * A string that fits a `varchar(max)` column: at most `max` characters and no
 * NUL character.
 *
 * @public
 */
export function storedText(max: number = MAX_STORED_TEXT, min = 0) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine(isStorableText, { message: NUL_MESSAGE });
}

/** A count that fits an `integer` column. @public */
export const storedCount = z
  .number()
  .int()
  .nonnegative()
  .max(MAX_STORED_INTEGER);

/**
 * Looks `key` up among an object's own keys only, so that `__proto__`,
 * `constructor` or `toString` never find what every object inherits.
 *
 * @public
 */
export function ownValue<T>(
  table: Readonly<Record<string, T>>,
  key: unknown,
): T | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key)
    ? table[key]
    : undefined;
}
