import {
  apiEntityName,
  phasetIdEntityRef,
  recordEntityName,
  recordEntityRef,
  slugify,
} from './names';

describe('slugify', () => {
  it.each([
    ['My API', 'my-api'],
    ['  Café -- Crème ', 'cafe-creme'],
    ['a_b.c~d', 'a-b-c-d'],
    ['???', ''],
    ['日本語', ''],
  ])('%j → %j', (input, slug) => {
    expect(slugify(input)).toBe(slug);
  });
});

describe('recordEntityName', () => {
  it('lowercases the record id', () => {
    expect(recordEntityName('AbC1234567')).toBe('abc1234567');
    expect(recordEntityRef('AbC1234567', 'ns')).toBe('component:ns/abc1234567');
  });

  it('rejects what is not a record id', () => {
    expect(() => recordEntityName('abc-123_.x')).toThrow(TypeError);
    expect(() => recordEntityName('abc123456')).toThrow(TypeError);
  });
});

describe('apiEntityName', () => {
  it('prefixes the slug with the record name', () => {
    expect(apiEntityName('Rec0000001', 'My API', 0, new Set())).toBe(
      'rec0000001-my-api',
    );
  });

  it('never ends in a dash after truncation', () => {
    const name = apiEntityName(
      'Rec0000001',
      `${'a'.repeat(51)} b`,
      0,
      new Set(),
    );
    expect(name).toBe(`rec0000001-${'a'.repeat(51)}`);
  });

  it('falls back to the position, then a counter', () => {
    const taken = new Set(['rec0000001-x', 'rec0000001-api-2']);
    expect(apiEntityName('Rec0000001', 'x', 1, taken)).toBe(
      'rec0000001-api-2-2',
    );
    expect(apiEntityName('Rec0000001', '', 0, taken)).toBe('rec0000001-api-1');
  });
});

describe('phasetIdEntityRef', () => {
  it('lowercases the 8-character id', () => {
    expect(phasetIdEntityRef('group', 'ABCDefgh')).toBe(
      'group:default/abcdefgh',
    );
    expect(phasetIdEntityRef('domain', 'ABCDefgh', 'x')).toBe(
      'domain:x/abcdefgh',
    );
  });
});
