// @ts-check

/**
 * Records, their webhook tokens and their Standards results.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('phaset_records', table => {
    table.comment(
      'Phaset Records: a piece of software and its latest manifest',
    );
    table.string('id', 10).primary().notNullable();
    table.string('organization_id').notNullable().index();
    table.string('entity_ref').nullable();
    table
      .string('origin', 16)
      .notNullable()
      .comment('config or api: where the Record was registered');
    table.text('manifest').nullable().comment('Validated manifest, JSON');
    table.text('manifest_raw').nullable().comment('Manifest body as received');
    table.timestamp('manifest_updated_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('phaset_tokens', table => {
    table.comment('Webhook tokens; only a SHA-256 hash of each secret is kept');
    table.string('id', 36).primary().notNullable();
    table
      .string('record_id', 10)
      .notNullable()
      .references('id')
      .inTable('phaset_records')
      .onDelete('CASCADE');
    table.string('name').notNullable();
    table.string('token_hash', 64).notNullable();
    table.string('origin', 16).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('last_used_at', { useTz: true }).nullable();
    table.unique(['record_id', 'name']);
    table.index(['record_id']);
  });

  await knex.schema.createTable('phaset_standards_results', table => {
    table.comment('StandardLint results posted for a Record, newest last');
    table.bigIncrements('id').primary();
    table
      .string('record_id', 10)
      .notNullable()
      .references('id')
      .inTable('phaset_records')
      .onDelete('CASCADE');
    table.string('baseline_id').notNullable();
    table.integer('passes').notNullable();
    table.integer('warnings').notNullable();
    table.integer('failures').notNullable();
    table.text('results').notNullable().comment('Normalised results, JSON');
    table.text('raw').notNullable().comment('Body as received');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['record_id', 'id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('phaset_standards_results');
  await knex.schema.dropTable('phaset_tokens');
  await knex.schema.dropTable('phaset_records');
};
