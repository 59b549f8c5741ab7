import { InputError } from '@backstage/errors';
import {
  describeIssues,
  parseOrIssues,
  ValidationIssue,
} from '@internal/backstage-plugin-phaset-common';
import { z } from 'zod';

/** A 400 that carries every validation issue, each with its JSON path. */
export class ValidationError extends InputError {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[]) {
    super(describeIssues(issues));
    this.issues = issues;
  }
}

/** Parses with the shared schema or throws a ValidationError listing all issues. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
): z.output<S> {
  const outcome = parseOrIssues(schema, value);
  if (!outcome.success) {
    throw new ValidationError(outcome.issues);
  }
  return outcome.data;
}
