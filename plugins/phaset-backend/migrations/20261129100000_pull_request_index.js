// @ts-check

/**
 * A covering partial index of the pull request and review rows by their pull
 * request (issue 13): a Record's engineering metrics find the pull requests
 * with a time in the window in an index-only scan of the Record's entries,
 * then read every row of just those pull requests (MetricsStore.
 * engineeringFacts). Same SQL on PostgreSQL and SQLite; the query repeats the
 * predicate literally so that both use it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    `CREATE INDEX phaset_events_pr_idx ON phaset_events (record_id, source, pr_id, kind, occurred_at, pr_created_at, merged_at, closed_at, submitted_at) WHERE kind IN ('pr-opened', 'pr-merged', 'pr-closed', 'review-approved', 'review-changes')`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX phaset_events_pr_idx');
};
