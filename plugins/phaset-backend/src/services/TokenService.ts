import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'crypto';
import {
  AuthenticationError,
  NotAllowedError,
  ConflictError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import { Page, PageRequest } from '../database/paging';
import { RecordOrigin } from '../database/RecordStore';
import { RateLimiter } from './RateLimiter';
import {
  StoredToken,
  TokenCredential,
  TokenStore,
} from '../database/TokenStore';
import {
  CI_SOURCE,
  webhookSource,
  webhookSourceIds,
} from '../webhooks/registry';

export type IssuedToken = StoredToken & {
  /** The secret; returned once, never stored. */
  token: string;
  /** The tool's signing secret, for signed sources; returned once. */
  signingSecret?: string;
};

/**
 * How long a Record's token list is reused by the event endpoint. Changes made
 * through this instance apply at once; other replicas see them within this.
 */
const CREDENTIALS_TTL_MS = 1000;

const TOKEN_NAME = /^[\w .:@-]{1,100}$/;

/**
 * Signing secrets must stay recoverable (an HMAC is checked with the secret
 * itself), so they are sealed with AES-256-GCM under a key derived from the
 * webhook's token, which is never stored and arrives with every delivery: the
 * database alone reveals neither.
 */
function sealingKey(token: string): Buffer {
  return createHash('sha256')
    .update(`phaset-signing-secret\0${token}`)
    .digest();
}

export function sealSecret(secret: string, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(token), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, sealed, cipher.getAuthTag()]
    .map(part => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function openSecret(sealed: string, token: string): string {
  const [, iv, data, tag] = sealed
    .split('.')
    .map(p => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(token), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString(
    'utf8',
  );
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A URL-safe secret with 256 bits of entropy. */
function generateToken(): string {
  return `phs_${randomBytes(32).toString('base64url')}`;
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !TOKEN_NAME.test(name)) {
    throw new InputError(
      'name: must be 1-100 characters of letters, digits, space, _ . : @ -',
    );
  }
  return name;
}

function checkSource(source: unknown): string {
  const ids = webhookSourceIds();
  if (typeof source !== 'string' || !ids.includes(source)) {
    throw new InputError(`source: must be one of ${ids.join(', ')}`);
  }
  return source;
}

/** Webhook tokens: issue, list, rename, revoke and check them. */
export class TokenService {
  private readonly cache = new Map<
    string,
    { expires: number; credentials: Promise<TokenCredential[]> }
  >();

  constructor(
    private readonly store: TokenStore,
    /**
     * Budget of failed authentications, over all callers: spending it costs
     * a caller without a token 429s, never a Record's own budget.
     */
    private readonly failedAuthentications = new RateLimiter(0),
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The error for a refused authentication (wrong token, or no such Record
   * in that organisation: one answer for all), after counting it: 401, or 429
   * with the time to wait once failures exceed their budget.
   */
  refusal(): Error {
    try {
      this.failedAuthentications.take('all', 'failed authentications');
    } catch (tooMany) {
      return tooMany as Error;
    }
    return new AuthenticationError('Invalid webhook token for this Record');
  }

  /** Drops what is cached about a Record's tokens, e.g. once it is deleted. */
  forgetRecord(recordId: string): void {
    this.cache.delete(recordId);
  }

  /** The Record's tokens, read through a cache that lives CREDENTIALS_TTL_MS. */
  private credentials(recordId: string): Promise<TokenCredential[]> {
    let entry = this.cache.get(recordId);
    if (!entry || entry.expires < this.now()) {
      entry = {
        expires: this.now() + CREDENTIALS_TTL_MS,
        credentials: this.store.credentials(recordId),
      };
      this.cache.set(recordId, entry);
      // A failed read must not be reused for the whole TTL.
      entry.credentials.catch(() => this.cache.delete(recordId));
    }
    return entry.credentials;
  }

  /** The credential whose hash equals the token's, comparing every hash in constant time. */
  private async match(
    recordId: string,
    token: string,
  ): Promise<TokenCredential> {
    const candidate = Buffer.from(hashToken(token), 'hex');
    let match: TokenCredential | undefined;
    for (const credential of await this.credentials(recordId)) {
      if (timingSafeEqual(Buffer.from(credential.hash, 'hex'), candidate)) {
        match = credential;
      }
    }
    if (!match) {
      throw this.refusal();
    }
    return match;
  }

  /**
   * Issues a token, i.e. a generated webhook for `source` (default `ci`: any
   * format). Sources whose tool signs requests also get a signing secret.
   */
  async issue(
    recordId: string,
    name: unknown,
    origin: RecordOrigin = 'api',
    source: unknown = CI_SOURCE,
  ): Promise<IssuedToken> {
    const tokenName = checkName(name);
    const sourceId = checkSource(source);
    if (await this.store.findByName(recordId, tokenName)) {
      throw new ConflictError(`name: a token named '${tokenName}' exists`);
    }
    const token = generateToken();
    const signingSecret = webhookSource(sourceId)?.verifySignature
      ? randomBytes(24).toString('hex')
      : undefined;
    const stored = await this.store.insert({
      id: randomUUID(),
      recordId,
      name: tokenName,
      hash: hashToken(token),
      origin,
      source: sourceId,
      signingSecret: signingSecret && sealSecret(signingSecret, token),
    });
    this.cache.delete(recordId);
    return { ...stored, token, ...(signingSecret ? { signingSecret } : {}) };
  }

  /** Makes the config-declared tokens of a Record exactly those given. */
  async syncFromConfig(
    recordId: string,
    tokens: Array<{ name: string; token: string }>,
  ): Promise<void> {
    for (const { name, token } of tokens) {
      const existing = await this.store.findByName(recordId, checkName(name));
      if (existing) {
        await this.store.setHash(existing.id, hashToken(token));
      } else {
        await this.store.insert({
          id: randomUUID(),
          recordId,
          name,
          hash: hashToken(token),
          origin: 'config',
        });
      }
    }
    await this.store.deleteConfigTokensExcept(
      recordId,
      tokens.map(t => t.name),
    );
    this.cache.delete(recordId);
  }

  list(recordId: string, page: PageRequest): Promise<Page<StoredToken>> {
    return this.store.page(recordId, page);
  }

  async rename(
    recordId: string,
    id: string,
    name: unknown,
  ): Promise<StoredToken> {
    const tokenName = checkName(name);
    const clash = await this.store.findByName(recordId, tokenName);
    if (clash && clash.id !== id) {
      throw new ConflictError(`name: a token named '${tokenName}' exists`);
    }
    if (!(await this.store.rename(recordId, id, tokenName))) {
      throw new NotFoundError(`No token '${id}' on Record '${recordId}'`);
    }
    return (await this.store.get(recordId, id))!;
  }

  async get(recordId: string, id: string): Promise<StoredToken> {
    const token = await this.store.get(recordId, id);
    if (!token) {
      throw new NotFoundError(`No token '${id}' on Record '${recordId}'`);
    }
    return token;
  }

  async revoke(recordId: string, id: string): Promise<void> {
    const deleted = await this.store.delete(recordId, id);
    this.cache.delete(recordId);
    if (!deleted) {
      throw new NotFoundError(`No token '${id}' on Record '${recordId}'`);
    }
  }

  /**
   * The Record's token matching `token`, with its source and signing secret,
   * for the event endpoint. Reads a short-lived cache so that a busy webhook
   * costs no token query per request; every hash is still compared in
   * constant time.
   */
  async authenticateWebhook(
    recordId: string,
    token: string,
  ): Promise<TokenCredential> {
    const match = await this.match(recordId, token);
    return match.signingSecret
      ? { ...match, signingSecret: openSecret(match.signingSecret, token) }
      : match;
  }

  countRejected(id: string): Promise<void> {
    return this.store.countRejected(id);
  }

  /**
   * Returns the id of the Record's token equal to `token`, for the routes
   * that change a Record (manifest, Standards) or read its Baseline: only
   * CI tokens (`source: ci`, and tokens from config or `/tokens`) may. A
   * webhook generated for a tool only sends that tool's deliveries to the
   * event route, so a secret handed to a third party cannot rewrite the
   * Record.
   */
  async authenticate(recordId: string, token: string): Promise<string> {
    const match = await this.match(recordId, token);
    if (match.source !== CI_SOURCE) {
      throw new NotAllowedError(
        `This webhook was generated for ${match.source}: it may only send ${match.source} deliveries to the event route; use a ci token here`,
      );
    }
    await this.store.touch(match.id);
    return match.id;
  }
}
