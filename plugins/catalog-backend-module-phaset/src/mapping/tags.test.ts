import { makeValidator } from '@backstage/catalog-model';
import { mapTags, normalizeTag } from './tags';

const { isValidTag } = makeValidator();

describe('normalizeTag', () => {
  it.each([
    ['typescript', 'typescript'],
    ['Lang:TypeScript', 'lang:typescript'],
    ['a.b~c', 'a-b-c'],
    ['--a__b--', 'a-b'],
    ['___', ''],
    ['~', ''],
  ])('%j → %j', (input, tag) => {
    expect(normalizeTag(input)).toBe(tag);
  });

  it('produces valid Backstage tags from every Phaset tag character', () => {
    const alphabet = 'abcXYZ019:._~-';
    for (const a of alphabet) {
      for (const b of alphabet) {
        const tag = normalizeTag(`${a}${b}${a}`);
        expect(tag === '' || isValidTag(tag)).toBe(true);
      }
    }
    expect(isValidTag(normalizeTag('A'.repeat(50)))).toBe(true);
  });
});

describe('mapTags', () => {
  it('keeps valid tags verbatim', () => {
    expect(mapTags(['typescript', 'backend', 'a:b:c'])).toEqual({
      tags: ['typescript', 'backend', 'a:b:c'],
      labels: {},
      verbatim: true,
    });
  });

  it('turns the first facet per key into a label', () => {
    expect(mapTags(['lang:ts', 'lang:go', 'env:~x'])).toEqual({
      tags: ['lang:go', 'env:-x'],
      labels: { 'phaset.dev/lang': 'ts' },
      verbatim: false,
    });
  });

  it('reports duplicates and empty results as not verbatim', () => {
    expect(mapTags(['a', 'a'])).toEqual({
      tags: ['a'],
      labels: {},
      verbatim: false,
    });
    expect(mapTags(['___'])).toEqual({ tags: [], labels: {}, verbatim: false });
    expect(mapTags([])).toEqual({ tags: [], labels: {}, verbatim: true });
  });
});
