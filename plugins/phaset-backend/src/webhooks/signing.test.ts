import { createHmac } from 'crypto';
import { AuthenticationError } from '@backstage/errors';
import {
  basicAuthPassword,
  hmacHeaderCheck,
  secretHeaderCheck,
  secretsEqual,
  verifySignature,
} from './signing';
import { WEBHOOK_SOURCES } from './registry';
import { WebhookSource } from './types';

const SECRET = 's3cret';
const BODY = Buffer.from('{"hello":"world"}');
const hex = createHmac('sha256', SECRET).update(BODY).digest('hex');

describe('signature checks', () => {
  it('compares secrets of any length without throwing', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
  });

  it('checks an HMAC header with its prefix, on the exact bytes', () => {
    const check = hmacHeaderCheck('X-Hub-Signature-256', 'sha256=');
    expect(
      check({ 'x-hub-signature-256': `sha256=${hex}` }, SECRET, BODY),
    ).toBeUndefined();
    expect(check({}, SECRET, BODY)).toBe('missing X-Hub-Signature-256 header');
    expect(check({ 'x-hub-signature-256': hex }, SECRET, BODY)).toBe(
      'X-Hub-Signature-256 does not match the body',
    );
    expect(
      check(
        { 'x-hub-signature-256': `sha256=${hex}` },
        SECRET,
        Buffer.from('{"hello": "world"}'),
      ),
    ).toBe('X-Hub-Signature-256 does not match the body');
  });

  it('checks a header carrying the secret itself', () => {
    const check = secretHeaderCheck('X-Gitlab-Token');
    expect(check({ 'x-gitlab-token': SECRET }, SECRET, BODY)).toBeUndefined();
    expect(check({ 'x-gitlab-token': 'nope' }, SECRET, BODY)).toBe(
      'X-Gitlab-Token does not match',
    );
    // An empty header is a wrong secret, not a missing one.
    expect(check({ 'x-gitlab-token': '' }, SECRET, BODY)).toBe(
      'X-Gitlab-Token does not match',
    );
    expect(check({}, SECRET, BODY)).toBe('missing X-Gitlab-Token header');
  });

  it('reads the password of basic auth', () => {
    const basic = `Basic ${Buffer.from('user:pa:ss').toString('base64')}`;
    expect(basicAuthPassword(basic)).toBe('pa:ss');
    expect(basicAuthPassword('Bearer abc')).toBeUndefined();
    expect(basicAuthPassword(undefined)).toBeUndefined();
  });

  it("throws a 401 naming the problem with the source's check", () => {
    const source = {
      verifySignature: hmacHeaderCheck('Linear-Signature'),
    } as WebhookSource;
    expect(() =>
      verifySignature(source, SECRET, { 'linear-signature': hex }, BODY),
    ).not.toThrow();
    expect(() => verifySignature(source, SECRET, {}, BODY)).toThrow(
      new AuthenticationError(
        'Invalid webhook signature: missing Linear-Signature header',
      ),
    );
  });

  it.each(WEBHOOK_SOURCES.filter(s => s.verifySignature).map(s => [s.id, s]))(
    '%s refuses a delivery without its signature or secret',
    (_id, source) => {
      expect(source.verifySignature!({}, SECRET, BODY)).toMatch(/^missing /);
    },
  );
});
