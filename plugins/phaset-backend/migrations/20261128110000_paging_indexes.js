// @ts-check

/**
 * Indexes in the order of each paged list (src/database/paging.ts), so that a
 * page is one index range scan after the cursor's row on both engines:
 *
 * - a Record's events, oldest first (occurred_at, kind, id);
 * - a Record's raw deliveries, in the order they arrived (received_at, id),
 *   also the order recomputation reads them in, and those of one webhook;
 * - an organisation's Records by id;
 * - a Record's tokens and webhooks, oldest first (created_at, name).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('phaset_events', table => {
    table.index(
      ['record_id', 'occurred_at', 'kind', 'id'],
      'phaset_events_page_idx',
    );
  });
  await knex.schema.alterTable('phaset_raw_events', table => {
    table.index(
      ['record_id', 'received_at', 'id'],
      'phaset_raw_events_page_idx',
    );
    table.index(
      ['record_id', 'token_id', 'received_at', 'id'],
      'phaset_raw_events_webhook_page_idx',
    );
  });
  await knex.schema.alterTable('phaset_records', table => {
    table.index(['organization_id', 'id'], 'phaset_records_page_idx');
  });
  await knex.schema.alterTable('phaset_tokens', table => {
    table.index(['record_id', 'created_at', 'name'], 'phaset_tokens_page_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('phaset_tokens', table => {
    table.dropIndex([], 'phaset_tokens_page_idx');
  });
  await knex.schema.alterTable('phaset_records', table => {
    table.dropIndex([], 'phaset_records_page_idx');
  });
  await knex.schema.alterTable('phaset_raw_events', table => {
    table.dropIndex([], 'phaset_raw_events_page_idx');
    table.dropIndex([], 'phaset_raw_events_webhook_page_idx');
  });
  await knex.schema.alterTable('phaset_events', table => {
    table.dropIndex([], 'phaset_events_page_idx');
  });
};
