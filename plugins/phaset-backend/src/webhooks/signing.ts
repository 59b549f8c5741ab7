import { createHmac, timingSafeEqual } from 'crypto';
import { AuthenticationError } from '@backstage/errors';
import { WebhookHeaders } from './adapters';

/** Tools a webhook can be generated for; `ci` takes Phaset JSON and every tool, unsigned. */
export const WEBHOOK_SOURCES = [
  'ci',
  'github',
  'gitlab',
  'bitbucket',
  'azure-devops',
  'jira',
  'linear',
  'devlake',
] as const;

export type WebhookSourceName = (typeof WEBHOOK_SOURCES)[number];

/** Sources whose tool can sign or carry a secret; the others get none. */
export const SIGNED_SOURCES: ReadonlySet<WebhookSourceName> = new Set([
  'github',
  'gitlab',
  'bitbucket',
  'azure-devops',
  'jira',
  'linear',
]);

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

function hmacHex(secret: string, raw: Buffer): string {
  return createHmac('sha256', secret).update(raw).digest('hex');
}

function basicPassword(authorization: string | undefined): string | undefined {
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (!match) {
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

/** What each tool sends, checked against the webhook's secret. */
const CHECKS: Record<
  string,
  (h: WebhookHeaders, secret: string, raw: Buffer) => string | undefined
> = {
  github: (h, secret, raw) => {
    const sent = h['x-hub-signature-256'];
    if (!sent) return 'missing X-Hub-Signature-256 header';
    return equal(sent, `sha256=${hmacHex(secret, raw)}`)
      ? undefined
      : 'X-Hub-Signature-256 does not match the body';
  },
  gitlab: (h, secret) => {
    const sent = h['x-gitlab-token'];
    if (sent === undefined) return 'missing X-Gitlab-Token header';
    return equal(sent, secret) ? undefined : 'X-Gitlab-Token does not match';
  },
  bitbucket: (h, secret, raw) => {
    const sent = h['x-hub-signature'];
    if (!sent) return 'missing X-Hub-Signature header';
    return equal(sent, `sha256=${hmacHex(secret, raw)}`)
      ? undefined
      : 'X-Hub-Signature does not match the body';
  },
  'azure-devops': (h, secret) => {
    const sent = h['x-azure-token']?.trim() ?? basicPassword(h.authorization);
    if (sent === undefined) return 'missing X-Azure-Token header or basic auth';
    return equal(sent, secret)
      ? undefined
      : 'X-Azure-Token / basic auth password does not match';
  },
  linear: (h, secret, raw) => {
    const sent = h['linear-signature'];
    if (!sent) return 'missing Linear-Signature header';
    return equal(sent, hmacHex(secret, raw))
      ? undefined
      : 'Linear-Signature does not match the body';
  },
};
// Jira Cloud signs like Bitbucket: X-Hub-Signature: sha256=<hex>.
CHECKS.jira = CHECKS.bitbucket;

/**
 * Checks a signed webhook's request on the raw body, before it is parsed.
 * Throws a 401 naming what was wrong.
 */
export function verifySignature(
  source: string,
  secret: string,
  headers: WebhookHeaders,
  raw: Buffer,
): void {
  const problem = CHECKS[source]?.(headers, secret, raw);
  if (problem) {
    throw new AuthenticationError(`Invalid webhook signature: ${problem}`);
  }
}
