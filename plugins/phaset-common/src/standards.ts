import { z } from 'zod';
import { storedCount } from './limits';

/*
 * StandardLint results, as posted to the standards endpoint. Real StandardLint
 * (1.0.3) writes `status` as pass/warn/fail and may omit `path`, while the
 * contract says pass/warning/failure with `path` required. Phaset's CI action
 * posts StandardLint's output unchanged, so both spellings are accepted and
 * normalised to StandardLint's own.
 */

/** Normalised status of one standards check. @public */
export const STANDARDS_STATUSES = ['pass', 'warn', 'fail'] as const;

/** @public */
export type StandardsStatus = (typeof STANDARDS_STATUSES)[number];

const STATUS_ALIASES: Record<string, StandardsStatus> = {
  pass: 'pass',
  warn: 'warn',
  warning: 'warn',
  fail: 'fail',
  failure: 'fail',
};

const COUNT_FIELDS = {
  passes: 'pass',
  warnings: 'warn',
  failures: 'fail',
} as const satisfies Record<string, StandardsStatus>;

// Stored in integer columns.
const count = storedCount;

// Plain (stripping) objects: unknown properties are accepted but not kept, so
// the output is always exactly the normalised shape.
const checkResultSchema = z.object({
  name: z.string(),
  status: z
    .enum(['pass', 'warn', 'fail', 'warning', 'failure'])
    .transform(status => STATUS_ALIASES[status]),
  message: z.string(),
  path: z.string().optional(),
});

/** Accepts either StandardLint spelling and outputs {@link StandardsResult}. @public */
export const standardLintResultSchema = z
  .object({
    passes: count,
    warnings: count,
    failures: count,
    results: z.array(checkResultSchema),
  })
  .superRefine((value, ctx) => {
    for (const [field, status] of Object.entries(COUNT_FIELDS)) {
      const actual = value.results.filter(r => r.status === status).length;
      const declared = value[field as keyof typeof COUNT_FIELDS];
      if (declared !== actual) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} is ${declared} but ${actual} result(s) have status "${status}"`,
        });
      }
    }
  });

/** A StandardLint result as it may arrive (either status spelling). @public */
export type StandardLintResultInput = z.input<typeof standardLintResultSchema>;

/** Normalised StandardLint result. @public */
export type StandardsResult = z.output<typeof standardLintResultSchema>;

/** One normalised check result. @public */
export type StandardsCheckResult = StandardsResult['results'][number];
