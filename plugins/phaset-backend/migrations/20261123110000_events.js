// @ts-check

/**
 * Metric events: every accepted delivery as received (phaset_raw_events) and
 * the normalised events the metrics read (phaset_events). Record tokens become
 * generated webhooks: a source, an optional signing secret and delivery stats.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('phaset_tokens', table => {
    table
      .string('source', 32)
      .notNullable()
      .defaultTo('ci')
      .comment('Tool the webhook was generated for; ci accepts every format');
    table
      .text('signing_secret')
      .nullable()
      .comment(
        'Sealed (AES-256-GCM) under a key derived from the token: HMAC signatures can only be verified with the secret itself',
      );
    table.integer('deliveries_accepted').notNullable().defaultTo(0);
    table.integer('deliveries_rejected').notNullable().defaultTo(0);
    table.timestamp('last_delivery_at', { useTz: true }).nullable();
  });

  await knex.schema.createTable('phaset_raw_events', table => {
    table.comment(
      'Accepted deliveries as received; metrics can be rebuilt from them',
    );
    table.string('id', 36).primary().notNullable();
    table.string('record_id', 10).notNullable();
    table
      .string('token_id', 36)
      .notNullable()
      .comment('Webhook that brought it');
    table.string('source', 32).notNullable();
    table.string('delivery_id').nullable();
    table.text('headers').notNullable().comment('Non-secret headers, JSON');
    table.text('body').notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    // NULL delivery ids never collide (both engines treat NULLs as distinct).
    table.unique(['record_id', 'source', 'delivery_id']);
    table.index(['token_id']);
  });

  await knex.schema.createTable('phaset_events', table => {
    table.comment('Normalised metric events, one row per fact');
    table.string('id', 36).primary().notNullable();
    table.string('record_id', 10).notNullable();
    table.string('raw_event_id', 36).notNullable();
    table.string('token_id', 36).notNullable();
    table.string('source', 32).notNullable();
    table.string('kind', 32).notNullable();
    table
      .string('external_id')
      .nullable()
      .comment('Identity of the fact; NULL when the payload names none');
    table.timestamp('occurred_at', { useTz: true }).notNullable();
    table.string('commit_sha', 64).nullable();
    table.string('branch').nullable();
    table.string('environment').nullable();
    table.string('result', 16).nullable();
    table.boolean('is_production').nullable();
    table.string('deployment_id').nullable();
    table.string('incident_id').nullable();
    table.timestamp('opened_at', { useTz: true }).nullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.string('pr_id').nullable();
    table.timestamp('pr_created_at', { useTz: true }).nullable();
    table.timestamp('merged_at', { useTz: true }).nullable();
    table.timestamp('closed_at', { useTz: true }).nullable();
    table.timestamp('submitted_at', { useTz: true }).nullable();
    table.integer('additions').nullable();
    table.integer('deletions').nullable();
    table.integer('changed_files').nullable();
    table.string('target', 8).nullable();
    table.unique(['record_id', 'kind', 'external_id']);
    // Metric queries scan one Record's events of one kind over a time range.
    table.index(['record_id', 'kind', 'occurred_at']);
    table.index(['record_id', 'commit_sha']);
    table.index(['record_id', 'incident_id']);
    table.index(['raw_event_id']);
    table.index(['token_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('phaset_events');
  await knex.schema.dropTable('phaset_raw_events');
  await knex.schema.alterTable('phaset_tokens', table => {
    table.dropColumn('source');
    table.dropColumn('signing_secret');
    table.dropColumn('deliveries_accepted');
    table.dropColumn('deliveries_rejected');
    table.dropColumn('last_delivery_at');
  });
};
