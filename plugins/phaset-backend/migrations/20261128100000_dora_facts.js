// @ts-check

/**
 * DORA facts maintained at ingestion (DoraFactStore writes them, MetricsStore
 * reads them), so that metrics for any window read only that window's rows:
 *
 * - phaset_dora_deployments: per Record and instant, how many successful
 *   production deployments (deliveries) finished then;
 * - phaset_dora_changes: per commit, its earliest change and the deployment
 *   that ships it (lead time = deployed_at - changed_at);
 * - phaset_dora_incidents: per incident, its opening, resolution and the
 *   deployment it links to (change failure rate, recovery time).
 *
 * Times are epoch milliseconds (bigint) on both engines. Rows go with their
 * Record (ON DELETE CASCADE). Existing events are turned into facts when the
 * plugin starts (DoraFactStore.backfill), through the same code as ingestion.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  /** @param {import('knex').Knex.CreateTableBuilder} table */
  const ownedByRecord = table => {
    table
      .string('record_id', 10)
      .notNullable()
      .references('id')
      .inTable('phaset_records')
      .onDelete('CASCADE');
  };

  await knex.schema.createTable('phaset_dora_deployments', table => {
    table.comment('Successful production deployments per Record and instant');
    ownedByRecord(table);
    table.bigInteger('at').notNullable().comment('Epoch ms it finished');
    table
      .integer('deployments')
      .notNullable()
      .comment('Deliveries that deployed at this instant');
    table.primary(['record_id', 'at']);
  });

  await knex.schema.createTable('phaset_dora_changes', table => {
    table.comment(
      'Per commit: its earliest change and the deployment that ships it',
    );
    ownedByRecord(table);
    table.string('commit_sha', 64).notNullable();
    table.bigInteger('changed_at').notNullable();
    table
      .bigInteger('deployed_at')
      .nullable()
      .comment(
        'First deployment at or after the change, or earlier of this commit',
      );
    table.primary(['record_id', 'commit_sha']);
    table.index(['record_id', 'deployed_at', 'changed_at']);
    table.index(['record_id', 'changed_at']);
  });

  await knex.schema.createTable('phaset_dora_incidents', table => {
    table.comment(
      'Per incident: opened, resolved and the deployment it links to',
    );
    ownedByRecord(table);
    table
      .string('incident_key', 300)
      .notNullable()
      .comment('source:incident id');
    table.string('incident_id', 255).notNullable();
    table.bigInteger('opened_at').notNullable();
    table.bigInteger('resolved_at').nullable();
    table
      .bigInteger('linked_at')
      .nullable()
      .comment('Latest deployment at or before the opening');
    table.primary(['record_id', 'incident_key']);
    table.index(['record_id', 'opened_at']);
    table.index(['record_id', 'resolved_at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('phaset_dora_incidents');
  await knex.schema.dropTable('phaset_dora_changes');
  await knex.schema.dropTable('phaset_dora_deployments');
};
