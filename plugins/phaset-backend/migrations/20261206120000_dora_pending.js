// @ts-check

/**
 * The DORA facts' outbox (issue 20): ingestion acknowledges once the raw
 * delivery and its events are committed, and records here, in the same
 * transaction, each new event of a DORA kind; DoraFactStore.foldPending
 * folds them into phaset_dora_* afterwards and deletes them, in one
 * transaction. A row left here is an event whose facts are not folded yet.
 * No foreign key to phaset_events: a deleted event's row is dropped by the
 * next fold (it finds no event).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('phaset_dora_pending', table => {
    // Arrival order; a fold deletes exactly the rows it read (by seq).
    table.bigIncrements('seq');
    table
      .string('record_id', 10)
      .notNullable()
      .references('id')
      .inTable('phaset_records')
      .onDelete('CASCADE');
    table.string('event_id', 36).notNullable();
    // When it was queued (epoch ms): the fact lag is measured from it.
    table.bigInteger('queued_at').notNullable();
    table.index(['record_id', 'seq'], 'phaset_dora_pending_record_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('phaset_dora_pending');
};
