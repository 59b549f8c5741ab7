import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'crypto';
import { AuthenticationError, ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { RecordOrigin } from '../database/RecordStore';
import { StoredToken, TokenStore } from '../database/TokenStore';

export type IssuedToken = StoredToken & {
  /** The secret; returned once, never stored. */
  token: string;
};

const TOKEN_NAME = /^[\w .:@-]{1,100}$/;

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

/** Webhook tokens: issue, list, rename, revoke and check them. */
export class TokenService {
  constructor(private readonly store: TokenStore) {}

  async issue(
    recordId: string,
    name: unknown,
    origin: RecordOrigin = 'api',
  ): Promise<IssuedToken> {
    const tokenName = checkName(name);
    if (await this.store.findByName(recordId, tokenName)) {
      throw new ConflictError(`name: a token named '${tokenName}' exists`);
    }
    const token = generateToken();
    const stored = await this.store.insert({
      id: randomUUID(),
      recordId,
      name: tokenName,
      hash: hashToken(token),
      origin,
    });
    return { ...stored, token };
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
  }

  list(recordId: string): Promise<StoredToken[]> {
    return this.store.list(recordId);
  }

  async rename(recordId: string, id: string, name: unknown): Promise<StoredToken> {
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

  async revoke(recordId: string, id: string): Promise<void> {
    if (!(await this.store.delete(recordId, id))) {
      throw new NotFoundError(`No token '${id}' on Record '${recordId}'`);
    }
  }

  /**
   * Returns the id of the Record's token equal to `token`. Every stored hash
   * is compared in constant time, so timing tells nothing about the secret.
   */
  async authenticate(recordId: string, token: string): Promise<string> {
    const candidate = Buffer.from(hashToken(token), 'hex');
    let match: string | undefined;
    for (const { id, hash } of await this.store.hashes(recordId)) {
      if (timingSafeEqual(Buffer.from(hash, 'hex'), candidate)) {
        match = id;
      }
    }
    if (!match) {
      throw new AuthenticationError('Invalid webhook token for this Record');
    }
    await this.store.touch(match);
    return match;
  }
}
