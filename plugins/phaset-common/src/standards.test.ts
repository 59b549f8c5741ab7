import fs from 'fs';
import path from 'path';
import { standardLintResultSchema } from './standards';
import { parseOrIssues } from './validation';

const realOutput = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '__fixtures__', 'standardlint.results.json'),
    'utf8',
  ),
);

// The same results as the contract spells them.
const contractSpelling = {
  passes: 1,
  warnings: 1,
  failures: 1,
  results: [
    { name: 'Documentation', status: 'pass', message: 'm', path: 'README.md' },
    {
      name: 'Changelog',
      status: 'warning',
      message: 'm',
      path: 'CHANGELOG.md',
    },
    { name: 'License', status: 'failure', message: 'm', path: 'LICENSE.md' },
  ],
};

function issuesOf(value: unknown) {
  const outcome = parseOrIssues(standardLintResultSchema, value);
  return outcome.success ? [] : outcome.issues;
}

describe('standardLintResultSchema', () => {
  it('parses real StandardLint 1.0.3 output unchanged', () => {
    expect(standardLintResultSchema.parse(realOutput)).toEqual(realOutput);
  });

  it('normalises the contract spelling of statuses', () => {
    const parsed = standardLintResultSchema.parse(contractSpelling);
    expect(parsed.results.map(r => r.status)).toEqual(['pass', 'warn', 'fail']);
  });

  it('accepts both spellings in one body, and results without path', () => {
    const parsed = standardLintResultSchema.parse({
      passes: 0,
      warnings: 2,
      failures: 2,
      results: [
        { name: 'a', status: 'warn', message: 'm' },
        { name: 'b', status: 'warning', message: 'm' },
        { name: 'c', status: 'fail', message: 'm' },
        { name: 'd', status: 'failure', message: 'm' },
      ],
    });
    expect(parsed.results.map(r => r.status)).toEqual([
      'warn',
      'warn',
      'fail',
      'fail',
    ]);
    expect(parsed.results[0]).not.toHaveProperty('path');
  });

  it('outputs only the normalised shape', () => {
    const parsed = standardLintResultSchema.parse({
      ...contractSpelling,
      extra: true,
      results: contractSpelling.results.map(r => ({ ...r, extra: true })),
    });
    expect(parsed).not.toHaveProperty('extra');
    expect(parsed.results[0]).not.toHaveProperty('extra');
  });

  it.each(['passes', 'warnings', 'failures'] as const)(
    'rejects a %s count that disagrees with the results',
    field => {
      const issues = issuesOf({
        ...realOutput,
        [field]: realOutput[field] + 1,
      });
      expect(issues).toEqual([
        { path: field, message: expect.stringContaining(field) },
      ]);
    },
  );

  it.each([
    ['passes', { passes: -1 }],
    ['warnings', { warnings: 1.5 }],
    ['failures', { failures: '2' }],
    ['results', { results: undefined }],
    [
      'results[0].status',
      { results: [{ name: 'a', status: 'ok', message: 'm' }] },
    ],
    ['results[0].name', { results: [{ status: 'pass', message: 'm' }] }],
    ['results[0].message', { results: [{ name: 'a', status: 'pass' }] }],
  ])('reports %s', (expectedPath, override) => {
    const paths = issuesOf({ ...realOutput, ...override }).map(i => i.path);
    expect(paths).toContain(expectedPath);
  });
});
