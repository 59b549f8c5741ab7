// @ts-check

/**
 * Reviews of a Record (issue 21): a dated human assessment against the
 * Review template, with its author; every Review is kept, the latest counts
 * for the Health Score. They go with their Record (ON DELETE CASCADE).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('phaset_reviews', table => {
    table.increments('id');
    table
      .string('record_id', 10)
      .notNullable()
      .references('id')
      .inTable('phaset_records')
      .onDelete('CASCADE');
    table.string('author', 255).notNullable();
    // The answers as JSON: [{questionId, value, prioritised?, comment?}].
    table.text('answers').notNullable();
    // Null when every answer is n/a.
    table.double('score').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    // The latest Review of a Record, and its history newest first.
    table.index(['record_id', 'id'], 'phaset_reviews_record_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('phaset_reviews');
};
