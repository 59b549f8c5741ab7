// @ts-check

/**
 * The page of each event in its tool (issue 19): the commit, deployment,
 * issue or pull request a person opens from a metric's list. Nullable: older
 * events get theirs from a recompute, which replays the stored deliveries.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('phaset_events', table => {
    table.text('url').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('phaset_events', table => {
    table.dropColumn('url');
  });
};
