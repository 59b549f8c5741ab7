// @ts-check

/**
 * Partial indexes of the successful production deployments, the only ones
 * DORA counts: the organisation roll-up finds, per Record, the deployments
 * around its window and the first deployment of a commit with index-only
 * scans instead of reading every deployment row. Same SQL on PostgreSQL and
 * SQLite; the queries repeat the predicate literally so that both use them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const where = `WHERE kind = 'deployment' AND result = 'success' AND is_production = true`;
  await knex.raw(
    `CREATE INDEX phaset_events_deployed_at_idx ON phaset_events (record_id, occurred_at) ${where}`,
  );
  await knex.raw(
    `CREATE INDEX phaset_events_deployed_sha_idx ON phaset_events (record_id, commit_sha, occurred_at) ${where}`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX phaset_events_deployed_at_idx');
  await knex.raw('DROP INDEX phaset_events_deployed_sha_idx');
};
