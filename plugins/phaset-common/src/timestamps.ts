import { z } from 'zod';

// Phaset's contract: "Unix timestamp (10 or 13 digits as a string)". 10 digits
// are seconds, 13 are milliseconds; any other length is ambiguous, so rejected.
const UNIX_TIMESTAMP_PATTERN = /^(\d{10}|\d{13})$/;

/**
 * Parses a Unix timestamp in seconds (10 digits) or milliseconds (13 digits),
 * given as a string or a number. Returns undefined for anything else.
 *
 * @public
 */
export function parseUnixTimestamp(value: unknown): Date | undefined {
  let digits: string;
  if (typeof value === 'string') {
    digits = value;
  } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
    digits = String(value);
  } else {
    return undefined;
  }
  if (!UNIX_TIMESTAMP_PATTERN.test(digits)) {
    return undefined;
  }
  const n = Number(digits);
  return new Date(digits.length === 10 ? n * 1000 : n);
}

/**
 * Zod schema for a Unix timestamp (see {@link parseUnixTimestamp}); parses to a Date.
 *
 * @public
 */
export const unixTimestampSchema = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    const date = parseUnixTimestamp(value);
    if (!date) {
      ctx.addIssue({
        code: 'custom',
        message:
          'Expected a Unix timestamp in seconds (10 digits) or milliseconds (13 digits)',
      });
      return z.NEVER;
    }
    return date;
  });
