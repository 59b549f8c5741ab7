import { createHmac, timingSafeEqual } from 'crypto';
import { AuthenticationError } from '@backstage/errors';
import { SignatureCheck, WebhookHeaders, WebhookSource } from './types';

/** Constant-time comparison of two secrets or signatures. */
export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function hmacSha256Hex(secret: string, raw: Buffer): string {
  return createHmac('sha256', secret).update(raw).digest('hex');
}

/** The password of `Authorization: Basic …`. */
export function basicAuthPassword(
  authorization: string | undefined,
): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) {
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

/** A header carrying `<prefix><hex HMAC-SHA256 of the body>`. */
export function hmacHeaderCheck(header: string, prefix = ''): SignatureCheck {
  const name = header.toLowerCase();
  return (headers, secret, raw) => {
    const sent = headers[name];
    if (!sent) return `missing ${header} header`;
    return secretsEqual(sent, `${prefix}${hmacSha256Hex(secret, raw)}`)
      ? undefined
      : `${header} does not match the body`;
  };
}

/** A header carrying the secret itself. */
export function secretHeaderCheck(header: string): SignatureCheck {
  const name = header.toLowerCase();
  return (headers, secret) => {
    const sent = headers[name];
    if (sent === undefined) return `missing ${header} header`;
    return secretsEqual(sent, secret) ? undefined : `${header} does not match`;
  };
}

/**
 * Checks a signed webhook's delivery with its tool's check, on the raw body
 * before it is parsed. Throws a 401 naming what was wrong.
 */
export function verifySignature(
  source: WebhookSource,
  secret: string,
  headers: WebhookHeaders,
  raw: Buffer,
): void {
  const problem = source.verifySignature?.(headers, secret, raw);
  if (problem) {
    throw new AuthenticationError(`Invalid webhook signature: ${problem}`);
  }
}
