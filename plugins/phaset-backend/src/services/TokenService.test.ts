import { Knex } from 'knex';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { migratedDatabase } from '../__testUtils__/database';
import { RecordStore } from '../database/RecordStore';
import { TokenStore } from '../database/TokenStore';
import {
  hashToken,
  openSecret,
  sealSecret,
  TokenService,
} from './TokenService';

const RECORD = 'tsrec00001';

describe('signing secrets', () => {
  it('are sealed under the token: only that token opens them', () => {
    const sealed = sealSecret('the-secret', 'phs_token');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('the-secret');
    expect(openSecret(sealed, 'phs_token')).toBe('the-secret');
    expect(() => openSecret(sealed, 'phs_other')).toThrow();
    // A fresh IV each time: the same secret never seals the same way twice.
    expect(sealSecret('the-secret', 'phs_token')).not.toBe(sealed);
  });
});

describe('TokenService', () => {
  let knex: Knex;
  let store: TokenStore;
  let now = 0;
  let tokens: TokenService;

  beforeAll(async () => {
    knex = await migratedDatabase('SQLITE_3');
    await new RecordStore(knex).create({
      id: RECORD,
      organizationId: 'org',
      origin: 'api',
    });
    store = new TokenStore(knex);
    tokens = new TokenService(store, undefined, () => now);
  });
  afterAll(() => knex.destroy());

  it('issues a signing secret only for tools that sign, storing neither secret', async () => {
    const github = await tokens.issue(RECORD, 'gh', 'api', 'github');
    const devlake = await tokens.issue(RECORD, 'dl', 'api', 'devlake');
    const ci = await tokens.issue(RECORD, 'ci');
    expect(github.signingSecret).toMatch(/^[0-9a-f]{48}$/);
    expect(devlake.signingSecret).toBeUndefined();
    expect(ci).toMatchObject({ source: 'ci', signed: false });
    const row = await knex('phaset_tokens').where({ id: github.id }).first();
    expect(row.token_hash).toBe(hashToken(github.token));
    expect(JSON.stringify(row)).not.toContain(github.token);
    expect(JSON.stringify(row)).not.toContain(github.signingSecret);
  });

  it('refuses unknown sources and bad or taken names, naming the field', async () => {
    await expect(tokens.issue(RECORD, 'x', 'api', 'svn')).rejects.toThrow(
      /^source: must be one of ci, github, /,
    );
    await expect(tokens.issue(RECORD, '')).rejects.toThrow(/^name: /);
    await expect(tokens.issue(RECORD, 'gh')).rejects.toThrow(
      "name: a token named 'gh' exists",
    );
  });

  it('authenticates a webhook with its opened signing secret; a wrong token is a 401', async () => {
    const issued = await tokens.issue(RECORD, 'gitlab', 'api', 'gitlab');
    expect(await tokens.authenticateWebhook(RECORD, issued.token)).toEqual({
      id: issued.id,
      hash: hashToken(issued.token),
      source: 'gitlab',
      signingSecret: issued.signingSecret,
    });
    await expect(
      tokens.authenticateWebhook(RECORD, 'phs_wrong'),
    ).rejects.toThrow(AuthenticationError);
  });

  it('lets only CI tokens open the routes that change a Record', async () => {
    const ci = await tokens.issue(RECORD, 'ci-2');
    const jira = await tokens.issue(RECORD, 'jira', 'api', 'jira');
    expect(await tokens.authenticate(RECORD, ci.token)).toBe(ci.id);
    await expect(tokens.authenticate(RECORD, jira.token)).rejects.toThrow(
      NotAllowedError,
    );
  });

  it('refuses a revoked token at once, though its list was cached', async () => {
    const issued = await tokens.issue(RECORD, 'revoked');
    await tokens.authenticateWebhook(RECORD, issued.token);
    await tokens.revoke(RECORD, issued.id);
    await expect(
      tokens.authenticateWebhook(RECORD, issued.token),
    ).rejects.toThrow(AuthenticationError);
  });

  it("sees another instance's changes once the cache lives out", async () => {
    const elsewhere = new TokenService(store);
    const issued = await tokens.issue(RECORD, 'other-instance');
    await tokens.authenticateWebhook(RECORD, issued.token);
    await elsewhere.revoke(RECORD, issued.id);
    // Still cached here...
    await tokens.authenticateWebhook(RECORD, issued.token);
    now += 1001;
    // ...and refused once the entry expired.
    await expect(
      tokens.authenticateWebhook(RECORD, issued.token),
    ).rejects.toThrow(AuthenticationError);
  });

  it('keeps config tokens exactly as config lists them', async () => {
    await tokens.syncFromConfig(RECORD, [
      { name: 'cfg-a', token: 'token-a' },
      { name: 'cfg-b', token: 'token-b' },
    ]);
    await tokens.syncFromConfig(RECORD, [{ name: 'cfg-a', token: 'token-a2' }]);
    const names = (await tokens.list(RECORD, { limit: 10 })).items.map(
      t => t.name,
    );
    expect(names).toContain('cfg-a');
    expect(names).not.toContain('cfg-b');
    expect(await tokens.authenticate(RECORD, 'token-a2')).toEqual(
      expect.any(String),
    );
    await expect(tokens.authenticate(RECORD, 'token-a')).rejects.toThrow(
      AuthenticationError,
    );
  });
});
