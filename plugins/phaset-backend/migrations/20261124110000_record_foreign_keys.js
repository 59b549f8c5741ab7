// @ts-check

/**
 * A Record's events and raw deliveries belong to it through foreign keys
 * with ON DELETE CASCADE, as its tokens and Standards results already do:
 * deleting the Record removes every row it owns, and a Record re-created
 * with the same id starts empty. Rows of Records deleted earlier (which the
 * old explicit deletes may have missed) are removed first.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const table of ['phaset_events', 'phaset_raw_events']) {
    await knex(table)
      .whereNotIn('record_id', knex('phaset_records').select('id'))
      .delete();
    await knex.schema.alterTable(table, t => {
      t.foreign('record_id')
        .references('id')
        .inTable('phaset_records')
        .onDelete('CASCADE');
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of ['phaset_events', 'phaset_raw_events']) {
    await knex.schema.alterTable(table, t => {
      t.dropForeign('record_id');
    });
  }
};
