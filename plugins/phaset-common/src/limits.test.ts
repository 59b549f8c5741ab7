import { phasetJsonEventSchema } from './events';
import { ownValue, storedCount, storedText } from './limits';

describe('storage limits', () => {
  it('refuses NUL characters and overlong text', () => {
    expect(storedText(4).safeParse('abcd').success).toBe(true);
    expect(storedText(4).safeParse('abcde').success).toBe(false);
    expect(storedText().safeParse('a\u0000b').error?.issues[0].message).toMatch(
      /NUL/,
    );
  });

  it('refuses counts beyond a 32-bit integer column', () => {
    expect(storedCount.safeParse(2_147_483_647).success).toBe(true);
    expect(storedCount.safeParse(2_147_483_648).success).toBe(false);
    expect(storedCount.safeParse(9007199254740991).success).toBe(false);
  });

  it('finds own keys only', () => {
    const table = { day: 1 };
    expect(ownValue(table, 'day')).toBe(1);
    for (const key of ['__proto__', 'constructor', 'valueOf', 'toString', 7]) {
      expect(ownValue(table, key)).toBeUndefined();
    }
  });
});

describe('Phaset JSON events within the storage limits', () => {
  it.each([
    [{ event: 'change', commitSha: 'a'.repeat(65) }, 'commitSha'],
    [{ event: 'deployment', commitSha: 'ab\u0000cd' }, 'commitSha'],
    [
      {
        event: 'incident-opened',
        id: 'x'.repeat(256),
        createdAt: '1700000000',
      },
      'id',
    ],
    [{ event: 'pr-opened', additions: 9007199254740991 }, 'additions'],
  ])('refuses %j naming %s', (event, field) => {
    const outcome = phasetJsonEventSchema.safeParse(event);
    expect(outcome.success).toBe(false);
    expect(outcome.error?.issues.map(i => i.path.join('.'))).toEqual([field]);
  });
});
