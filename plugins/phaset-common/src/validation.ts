import { z } from 'zod';

/** One validation problem, addressed by its JSON path (e.g. `contacts[0].email`). @public */
export type ValidationIssue = {
  path: string;
  message: string;
};

/** @public */
export type ParseOutcome<T> =
  | { success: true; data: T }
  | { success: false; issues: ValidationIssue[] };

/** Path used for issues about the value as a whole. @public */
export const ROOT_ISSUE_PATH = '(root)';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
    } else if (typeof segment === 'string' && IDENTIFIER.test(segment)) {
      out += out ? `.${segment}` : segment;
    } else {
      // Keys such as metadata names may contain dots or spaces.
      out += `[${JSON.stringify(String(segment))}]`;
    }
  }
  return out || ROOT_ISSUE_PATH;
}

const isRootTypeMismatch = (issues: ReadonlyArray<z.core.$ZodIssue>) =>
  issues.length === 1 &&
  issues[0].code === 'invalid_type' &&
  issues[0].path.length === 0;

function flattenIssue(
  issue: z.core.$ZodIssue,
  base: ReadonlyArray<PropertyKey>,
): ValidationIssue[] {
  const path = [...base, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map(key => ({
      path: formatPath([...path, key]),
      message: `Unknown property "${key}" is not allowed`,
    }));
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // A union branch that failed only on the value's type (e.g. the string
    // form of a StandardLint check, given an object) says nothing useful; if
    // just one branch got further, its issues are the real ones.
    const relevant = issue.errors.filter(errors => !isRootTypeMismatch(errors));
    if (relevant.length === 1) {
      return relevant[0].flatMap(inner => flattenIssue(inner, path));
    }
    if (relevant.length === 0) {
      const expected = issue.errors.map(errors =>
        errors[0].code === 'invalid_type' ? errors[0].expected : 'unknown',
      );
      return [
        {
          path: formatPath(path),
          message: `Expected ${[...new Set(expected)].join(' or ')}`,
        },
      ];
    }
  }
  return [{ path: formatPath(path), message: issue.message }];
}

/**
 * Lists every issue of a zod error. An unrecognised-keys issue is split into
 * one entry per key, whose path names the key itself.
 *
 * @public
 */
export function formatValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.flatMap(issue => flattenIssue(issue, []));
}

const plural = (n: number | bigint, word: string) =>
  `${n} ${word}${Number(n) === 1 ? '' : 's'}`;

/**
 * Friendlier messages than zod's defaults for the common cases. Messages set
 * on a schema itself still take precedence.
 *
 * @public
 */
export const phasetErrorMap: z.core.$ZodErrorMap = issue => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'Required' : undefined;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      const relation = small ? 'at least' : 'at most';
      if (issue.origin === 'string') {
        return `Must be ${relation} ${plural(bound, 'character')} long`;
      }
      if (issue.origin === 'array') {
        return `Must contain ${relation} ${plural(bound, 'item')}`;
      }
      if (issue.origin === 'number' && issue.inclusive) {
        return `Must be ${relation} ${bound}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
};

/**
 * Parses `value`, returning either the parsed data or every issue found.
 *
 * @public
 */
export function parseOrIssues<S extends z.ZodType>(
  schema: S,
  value: unknown,
): ParseOutcome<z.output<S>> {
  const result = schema.safeParse(value, { error: phasetErrorMap });
  if (result.success) {
    return { success: true, data: result.data };
  }
  return { success: false, issues: formatValidationIssues(result.error) };
}

/**
 * The `message` of a 400 response: names the first few distinct paths, e.g.
 * `Invalid request body: spec.kind, tags[3] and 2 more`.
 *
 * @public
 */
export function describeIssues(
  issues: ReadonlyArray<ValidationIssue>,
  limit = 3,
): string {
  const paths = [...new Set(issues.map(issue => issue.path))];
  if (paths.length === 0) {
    return 'Invalid request body';
  }
  const shown = paths.slice(0, limit).join(', ');
  const rest = paths.length - limit;
  return `Invalid request body: ${shown}${rest > 0 ? ` and ${rest} more` : ''}`;
}
