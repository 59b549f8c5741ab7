import { phasetBaselineSchema, standardLintConfigSchema } from './baseline';
import { parseOrIssues } from './validation';

// The standardlint.json that produced __fixtures__/standardlint.results.json.
const sampleConfig = {
  basePath: '.',
  defaultSeverity: 'error',
  checks: [
    'checkForPresenceReadme',
    { name: 'checkForPresenceContributing', severity: 'warn' },
    {
      name: 'checkForPresenceApiSchema',
      severity: 'warn',
      path: 'api/schema.yml',
    },
  ],
};

const pathsOf = (value: unknown) => {
  const outcome = parseOrIssues(standardLintConfigSchema, value);
  return outcome.success ? [] : outcome.issues;
};

describe('standardLintConfigSchema', () => {
  it.each([
    ['the sample standardlint.json', sampleConfig],
    [
      'object checks without severity',
      { checks: [{ name: 'checkForPresenceLicense' }] },
    ],
    [
      'ignorePaths (StandardLint 1.2.x)',
      { checks: ['all'], ignorePaths: ['dist'] },
    ],
  ])('accepts %s', (_, config) => {
    expect(standardLintConfigSchema.parse(config)).toEqual(config);
  });

  it.each([
    ['checks', {}, 'Required'],
    ['checks', { checks: [] }, 'Must contain at least 1 item'],
    [
      'defaultSeverity',
      { checks: ['all'], defaultSeverity: 'fatal' },
      'Invalid option',
    ],
    [
      'checks[0].severity',
      { checks: [{ name: 'a', severity: 'fatal' }] },
      'Invalid option',
    ],
    [
      'checks[0].colour',
      { checks: [{ name: 'a', colour: 1 }] },
      'Unknown property',
    ],
    ['checks[0]', { checks: [5] }, 'Expected string or object'],
    [
      'defaultSeverty',
      { checks: ['all'], defaultSeverty: 'warn' },
      'Unknown property',
    ],
  ])('reports %s', (path, config, message) => {
    expect(pathsOf(config)).toEqual([
      { path, message: expect.stringContaining(message) },
    ]);
  });
});

describe('phasetBaselineSchema', () => {
  it('accepts a configured baseline', () => {
    const baseline = { id: 'default', name: 'Default', config: sampleConfig };
    expect(phasetBaselineSchema.parse(baseline)).toEqual(baseline);
  });
});
