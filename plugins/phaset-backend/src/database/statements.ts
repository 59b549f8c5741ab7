import { Knex } from 'knex';

/** Statements whose results are not needed, to run together (see runStatements). */
export type Statements = Array<Knex.Raw | Knex.QueryBuilder>;

/**
 * Runs statements whose results are not needed, in order. On PostgreSQL
 * they go as one multi-statement query (values inlined by knex's escaping):
 * one round trip instead of one each. Each statement still reads what was
 * committed before it started, after any lock a statement before it took.
 */
export async function runStatements(
  tx: Knex.Transaction,
  statements: Statements,
): Promise<void> {
  if (statements.length === 0) return;
  if (tx.client.dialect !== 'postgresql') {
    for (const statement of statements) await statement;
    return;
  }
  await tx.raw(statements.map(statement => statement.toQuery()).join(';\n'));
}
