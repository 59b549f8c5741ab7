import { Knex } from 'knex';
import { KeyColumn, Page, PageRequest, readPage } from './paging';
import { toIsoString } from './time';
import { RecordOrigin, TABLES, TokenRow } from './tables';

export type StoredToken = {
  id: string;
  recordId: string;
  name: string;
  origin: RecordOrigin;
  /** Tool the webhook was generated for (`ci`: any format, unsigned). */
  source: string;
  /** Whether requests must carry the tool's signature or secret. */
  signed: boolean;
  createdAt: string;
  lastUsedAt?: string;
  lastDeliveryAt?: string;
  deliveriesAccepted: number;
  deliveriesRejected: number;
};

/** What the event endpoint needs to authenticate a request. */
export type TokenCredential = {
  id: string;
  hash: string;
  source: string;
  signingSecret?: string;
};

const TABLE = TABLES.tokens;
/** Oldest first; names are unique per Record. */
const TOKEN_PAGE_KEY: KeyColumn[] = [
  { column: 'created_at', type: 'time' },
  { column: 'name', type: 'string' },
];

function fromRow(row: TokenRow): StoredToken {
  return {
    id: row.id,
    recordId: row.record_id,
    name: row.name,
    origin: row.origin,
    source: row.source,
    signed: Boolean(row.signing_secret),
    createdAt: toIsoString(row.created_at),
    lastUsedAt: row.last_used_at ? toIsoString(row.last_used_at) : undefined,
    lastDeliveryAt: row.last_delivery_at
      ? toIsoString(row.last_delivery_at)
      : undefined,
    deliveriesAccepted: Number(row.deliveries_accepted),
    deliveriesRejected: Number(row.deliveries_rejected),
  };
}

export class TokenStore {
  constructor(private readonly db: Knex) {}

  /** One page of the Record's tokens, oldest first (index phaset_tokens_page_idx). */
  page(recordId: string, page: PageRequest): Promise<Page<StoredToken>> {
    return readPage(
      this.db<TokenRow>(TABLE).where({ record_id: recordId }),
      TOKEN_PAGE_KEY,
      page,
      fromRow,
    );
  }

  async get(recordId: string, id: string): Promise<StoredToken | undefined> {
    const row = await this.db<TokenRow>(TABLE)
      .where({ record_id: recordId, id })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async credentials(recordId: string): Promise<TokenCredential[]> {
    const rows = await this.db<TokenRow>(TABLE)
      .where({ record_id: recordId })
      .select('id', 'token_hash', 'source', 'signing_secret');
    return rows.map(row => ({
      id: row.id,
      hash: row.token_hash,
      source: row.source,
      signingSecret: row.signing_secret ?? undefined,
    }));
  }

  async findByName(
    recordId: string,
    name: string,
  ): Promise<StoredToken | undefined> {
    const row = await this.db<TokenRow>(TABLE)
      .where({ record_id: recordId, name })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async insert(token: {
    id: string;
    recordId: string;
    name: string;
    hash: string;
    origin: RecordOrigin;
    source?: string;
    signingSecret?: string;
  }): Promise<StoredToken> {
    await this.db<TokenRow>(TABLE).insert({
      id: token.id,
      record_id: token.recordId,
      name: token.name,
      token_hash: token.hash,
      origin: token.origin,
      source: token.source ?? 'ci',
      signing_secret: token.signingSecret ?? null,
      created_at: new Date(),
      last_used_at: null,
    });
    return (await this.get(token.recordId, token.id))!;
  }

  async setHash(id: string, hash: string): Promise<void> {
    await this.db<TokenRow>(TABLE).where({ id }).update({ token_hash: hash });
  }

  async rename(recordId: string, id: string, name: string): Promise<boolean> {
    const updated = await this.db<TokenRow>(TABLE)
      .where({ record_id: recordId, id })
      .update({ name });
    return updated > 0;
  }

  async delete(recordId: string, id: string): Promise<boolean> {
    const deleted = await this.db<TokenRow>(TABLE)
      .where({ record_id: recordId, id })
      .delete();
    return deleted > 0;
  }

  /** Removes config-declared tokens whose names are no longer in config. */
  async deleteConfigTokensExcept(
    recordId: string,
    keepNames: string[],
  ): Promise<void> {
    await this.db<TokenRow>(TABLE)
      .where({ record_id: recordId, origin: 'config' })
      .whereNotIn('name', keepNames)
      .delete();
  }

  /** Counts a delivery refused after the token matched (bad signature or payload). */
  async countRejected(id: string): Promise<void> {
    await this.db<TokenRow>(TABLE)
      .where({ id })
      .update({
        deliveries_rejected: this.db.raw('deliveries_rejected + 1'),
        last_delivery_at: new Date(),
      });
  }

  /**
   * Statements counting accepted deliveries per webhook, to run in the
   * transaction that stores them.
   */
  countAccepted(
    tx: Knex.Transaction,
    deliveries: Map<string, number>,
  ): Knex.QueryBuilder[] {
    const now = new Date();
    return [...deliveries].map(([id, count]) =>
      tx<TokenRow>(TABLE)
        .where({ id })
        .update({
          deliveries_accepted: tx.raw('deliveries_accepted + ?', [count]),
          last_delivery_at: now,
          last_used_at: now,
        }),
    );
  }

  async touch(id: string): Promise<void> {
    await this.db<TokenRow>(TABLE)
      .where({ id })
      .update({ last_used_at: new Date() });
  }
}
