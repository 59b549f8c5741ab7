import { z } from 'zod';
import {
  describeIssues,
  formatValidationIssues,
  parseOrIssues,
} from './validation';

describe('formatValidationIssues', () => {
  const schema = z.strictObject({
    list: z.array(z.strictObject({ value: z.number() })),
    map: z.record(z.string(), z.string()),
  });

  it('formats dotted and indexed paths, one entry per unknown key', () => {
    const result = schema.safeParse({
      list: [{ value: 1 }, { value: 'x', a: 1, b: 2 }],
      map: { 'team.name': 1 },
      extra: true,
    });
    expect(formatValidationIssues(result.error!).map(i => i.path)).toEqual([
      'list[1].value',
      'list[1].a',
      'list[1].b',
      'map["team.name"]',
      'extra',
    ]);
  });

  it('names the root when the whole value is wrong', () => {
    expect(formatValidationIssues(schema.safeParse(42).error!)).toEqual([
      { path: '(root)', message: expect.any(String) },
    ]);
  });
});

describe('parseOrIssues', () => {
  const schema = z.object({
    name: z.string().min(2),
    tags: z.array(z.string()).max(1),
  });

  it('returns the data on success', () => {
    expect(parseOrIssues(schema, { name: 'ab', tags: [] })).toEqual({
      success: true,
      data: { name: 'ab', tags: [] },
    });
  });

  it('returns every issue with a readable message', () => {
    expect(parseOrIssues(schema, { tags: ['a', 'b'] })).toEqual({
      success: false,
      issues: [
        { path: 'name', message: 'Required' },
        { path: 'tags', message: 'Must contain at most 1 item' },
      ],
    });
    expect(parseOrIssues(schema, { name: 'a', tags: [] })).toEqual({
      success: false,
      issues: [{ path: 'name', message: 'Must be at least 2 characters long' }],
    });
  });
});

describe('describeIssues', () => {
  const issue = (path: string) => ({ path, message: 'm' });

  it.each([
    [[], 'Invalid request body'],
    [[issue('spec.kind')], 'Invalid request body: spec.kind'],
    [
      [issue('a'), issue('a'), issue('b'), issue('c'), issue('d'), issue('e')],
      'Invalid request body: a, b, c and 2 more',
    ],
  ])('describes %j', (issues, message) => {
    expect(describeIssues(issues)).toBe(message);
  });
});
