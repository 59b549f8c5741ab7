import { parseUnixTimestamp, unixTimestampSchema } from './timestamps';

describe('parseUnixTimestamp', () => {
  it.each([
    ['1732802071', new Date(1732802071000)],
    ['1732802071123', new Date(1732802071123)],
    [1732802071, new Date(1732802071000)],
    [1732802071123, new Date(1732802071123)],
    ['0000000000', new Date(0)],
  ])('accepts %p', (value, expected) => {
    expect(parseUnixTimestamp(value)).toEqual(expected);
  });

  it.each([
    ['173280207'], // 9 digits
    ['17328020711'], // 11 digits
    ['17328020711234'], // 14 digits
    [173280207],
    [17328020711234],
    ['-1732802071'],
    [-1732802071],
    ['1732802071.5'],
    [1732802071.5],
    ['17328O2071'],
    [' 1732802071'],
    ['2024-11-28T13:54:31Z'],
    [''],
    [null],
    [undefined],
    [{}],
    [Number.NaN],
  ])('rejects %p', value => {
    expect(parseUnixTimestamp(value)).toBeUndefined();
  });
});

describe('unixTimestampSchema', () => {
  it('parses to a Date', () => {
    expect(unixTimestampSchema.parse('1733000000')).toEqual(
      new Date(1733000000000),
    );
  });

  it('reports an invalid timestamp', () => {
    const result = unixTimestampSchema.safeParse('12345');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/10 digits/);
  });
});
