// @ts-check

/**
 * Indexes of `phaset_events` that no query uses any more, since the DORA
 * facts (migration 20261128100000) replaced the reads that folded events:
 * every stored event paid for them on ingestion. A commit's deployments are
 * found by phaset_events_deployed_sha_idx, an incident's rows by
 * phaset_events_incidents_idx, a window's changes by
 * phaset_events_changed_at_idx; nothing looks events up by their raw
 * delivery, by commit or incident alone, by a change's commit, or lists
 * deployments by time.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const name of [
    'phaset_events_record_id_commit_sha_index',
    'phaset_events_record_id_incident_id_index',
    'phaset_events_raw_event_id_index',
    'phaset_events_changed_sha_idx',
    'phaset_events_deployed_at_idx',
  ]) {
    await knex.raw(`DROP INDEX ${name}`);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('phaset_events', table => {
    table.index(['record_id', 'commit_sha']);
    table.index(['record_id', 'incident_id']);
    table.index(['raw_event_id']);
  });
  await knex.raw(
    `CREATE INDEX phaset_events_changed_sha_idx ON phaset_events (record_id, commit_sha, occurred_at) WHERE kind = 'change'`,
  );
  await knex.raw(
    `CREATE INDEX phaset_events_deployed_at_idx ON phaset_events (record_id, occurred_at) WHERE kind = 'deployment' AND result = 'success' AND is_production = true`,
  );
};
