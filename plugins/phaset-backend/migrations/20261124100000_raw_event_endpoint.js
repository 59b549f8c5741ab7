// @ts-check

/**
 * The endpoint a delivery to a tool's own routes came to (DevLake's
 * `deployments`, `issues`, `issue/{key}/close`) becomes a column; it was kept
 * as a made-up `x-phaset-devlake-endpoint` header, whose values move here.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('phaset_raw_events', table => {
    table
      .text('endpoint')
      .nullable()
      .comment(
        "Path below the tool's own routes (DevLake); NULL on the event route",
      );
  });
  const header = 'x-phaset-devlake-endpoint';
  const rows = await knex('phaset_raw_events')
    .where({ source: 'devlake' })
    .select('id', 'headers');
  for (const row of rows) {
    const headers = JSON.parse(row.headers);
    const value = headers[header];
    if (typeof value !== 'string') continue;
    delete headers[header];
    const close = /^close:(.*)$/s.exec(value);
    await knex('phaset_raw_events')
      .where({ id: row.id })
      .update({
        endpoint: close ? `issue/${close[1]}/close` : value,
        headers: JSON.stringify(headers),
      });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const header = 'x-phaset-devlake-endpoint';
  const rows = await knex('phaset_raw_events')
    .whereNotNull('endpoint')
    .select('id', 'headers', 'endpoint');
  for (const row of rows) {
    const close = /^issue\/(.*)\/close$/s.exec(row.endpoint);
    await knex('phaset_raw_events')
      .where({ id: row.id })
      .update({
        headers: JSON.stringify({
          ...JSON.parse(row.headers),
          [header]: close ? `close:${close[1]}` : row.endpoint,
        }),
      });
  }
  await knex.schema.alterTable('phaset_raw_events', table => {
    table.dropColumn('endpoint');
  });
};
