// @ts-check

/**
 * Covering partial indexes for the organisation roll-up, so that it reads
 * changes and incidents with index-only scans: the changes of a Record from
 * a time on (with their commit), the earliest change of a commit, and every
 * time of an incident grouped by its identity. Same SQL on PostgreSQL and
 * SQLite; the queries repeat the predicates literally so that both use them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    `CREATE INDEX phaset_events_changed_at_idx ON phaset_events (record_id, occurred_at, commit_sha) WHERE kind = 'change'`,
  );
  await knex.raw(
    `CREATE INDEX phaset_events_changed_sha_idx ON phaset_events (record_id, commit_sha, occurred_at) WHERE kind = 'change'`,
  );
  await knex.raw(
    `CREATE INDEX phaset_events_incidents_idx ON phaset_events (record_id, source, incident_id, occurred_at, opened_at, resolved_at, kind) WHERE kind IN ('incident-opened', 'incident-resolved')`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX phaset_events_changed_at_idx');
  await knex.raw('DROP INDEX phaset_events_changed_sha_idx');
  await knex.raw('DROP INDEX phaset_events_incidents_idx');
};
