import { z } from 'zod';

/*
 * A Baseline is served to CI as a StandardLint configuration
 * (`standardlint.json`). Check names are not restricted to those of one
 * StandardLint release, since newer releases add checks.
 */

/** @public */
export const STANDARDLINT_SEVERITIES = ['error', 'warn'] as const;

/** @public */
export type StandardLintSeverity = (typeof STANDARDLINT_SEVERITIES)[number];

/** A check in string form or object form. @public */
export const standardLintCheckSchema = z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().min(1),
    // StandardLint documents object-form checks without a severity; it then
    // applies `error`.
    severity: z.enum(STANDARDLINT_SEVERITIES).optional(),
    path: z.string().min(1).optional(),
  }),
]);

/**
 * Strict, because baselines are written by operators: a misspelt key should
 * fail loudly instead of being ignored by StandardLint.
 *
 * @public
 */
export const standardLintConfigSchema = z.strictObject({
  // StandardLint refuses to run without checks.
  checks: z.array(standardLintCheckSchema).min(1),
  defaultSeverity: z.enum(STANDARDLINT_SEVERITIES).optional(),
  basePath: z.string().min(1).optional(),
  // Only honoured by StandardLint 1.2.x and later.
  ignorePaths: z.array(z.string().min(1)).optional(),
});

/** @public */
export type StandardLintCheck = z.infer<typeof standardLintCheckSchema>;

/** @public */
export type StandardLintConfig = z.infer<typeof standardLintConfigSchema>;

/** A baseline configured in Backstage. @public */
export const phasetBaselineSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  config: standardLintConfigSchema,
  // Checks configured as `disabled`: not served to StandardLint (it has no
  // such severity), listed so people see what the Baseline leaves out.
  disabledChecks: z.array(z.string().min(1)).optional(),
});

/** @public */
export type PhasetBaseline = z.infer<typeof phasetBaselineSchema>;
