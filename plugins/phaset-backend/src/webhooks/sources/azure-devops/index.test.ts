import { azureDevops } from '.';

const check = azureDevops.verifySignature!;
const body = Buffer.from('{}');
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('Azure DevOps secret', () => {
  it('takes the X-Azure-Token header, trimmed', () => {
    expect(check({ 'x-azure-token': ' s3cret ' }, 's3cret', body)).toBe(
      undefined,
    );
    expect(check({ 'x-azure-token': 'other' }, 's3cret', body)).toBe(
      'X-Azure-Token / basic auth password does not match',
    );
  });

  it('or the password of basic auth', () => {
    expect(
      check({ authorization: basic('phaset', 's3cret') }, 's3cret', body),
    ).toBeUndefined();
    expect(
      check({ authorization: basic('phaset', 'other') }, 's3cret', body),
    ).toBe('X-Azure-Token / basic auth password does not match');
  });

  it('names what is missing', () => {
    expect(check({}, 's3cret', body)).toBe(
      'missing X-Azure-Token header or basic auth',
    );
  });
});
