#!/usr/bin/env node
// kill -9 under load (part of `yarn test:reliability`), on SQLite and on
// PostgreSQL: 8 senders post unique deployment events to a real backend
// process, which is killed with SIGKILL mid-load and started again on the
// same database while the senders keep going. Every event answered 200 must
// be stored exactly once after the restart, and the DORA facts must be whole:
// the metrics read after the restart count every stored deployment, and
// nothing is left queued (docs/operations.md, Metrics consistency).
//
// Prints a JSON summary; exits 1 when a check fails. Environment:
// RELIABILITY_PORT (7202), RELIABILITY_PREFIX (reliability),
// RELIABILITY_DATABASES (sqlite,postgres).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  databaseConfig,
  deployment,
  dropDatabases,
  eventUrl,
  guestToken,
  phasetConfig,
  phasetDatabase,
  recordIds,
  request,
  startBackendProcess,
  storedShas,
  tally,
} from './reliability-common.mjs';

const PORT = Number(process.env.RELIABILITY_PORT ?? 7202);
const PREFIX = process.env.RELIABILITY_PREFIX ?? 'reliability';
const DATABASES = (process.env.RELIABILITY_DATABASES ?? 'sqlite,postgres')
  .split(',')
  .filter(Boolean);
const SENDERS = 8;
const LOAD_BEFORE_KILL_MS = 3000;
const [RECORD] = recordIds(1);
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** PostgreSQL space (tables, indexes, TOAST) of raw and normalised events, per event. */
async function bytesPerEvent(knex, events) {
  const { rows } = await knex.raw(
    `SELECT pg_total_relation_size('phaset_raw_events') +
            pg_total_relation_size('phaset_events') AS bytes`,
  );
  return Math.round(Number(rows[0].bytes) / events);
}

async function killUnderLoad(kind) {
  const run = `${PREFIX}_kill9_${kind}_${Date.now()}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${run}-`));
  const where = { dir, prefix: run };
  const start = () =>
    startBackendProcess({
      name: run,
      port: PORT,
      database: databaseConfig(kind, where),
      config: phasetConfig([RECORD]),
    });
  let backend = start();
  const outcomes = [];
  let stop = false;
  let n = 0;
  const sender = async s => {
    while (!stop) {
      const sha = `kill9-${s}-${n++}`;
      const outcome = await request(eventUrl(PORT, RECORD), {
        method: 'POST',
        body: deployment(sha),
        keepAlive: true,
      });
      outcomes.push({ ...outcome, sha });
      if (outcome.error || outcome.status !== 200) await sleep(20);
    }
  };
  const from = new Date(Date.now() - 60_000).toISOString();
  try {
    await backend.ready();
    const senders = Promise.all(
      Array.from({ length: SENDERS }, (_, s) => sender(s)),
    );
    await sleep(LOAD_BEFORE_KILL_MS);
    const ackedBeforeKill = outcomes.filter(o => o.status === 200).length;
    await backend.stop('SIGKILL');
    const killedAt = Date.now();
    backend = start();
    await backend.ready();
    const secondsToRestart = (Date.now() - killedAt) / 1000;
    await sleep(2000);
    stop = true;
    await senders;
    const metrics = await request(
      `http://localhost:${PORT}/api/phaset/metrics/${RECORD}?from=${from}&to=${new Date(
        Date.now() + 60_000,
      ).toISOString()}`,
      { headers: { authorization: `Bearer ${await guestToken(PORT)}` } },
    );
    await backend.stop();

    const knex = phasetDatabase(kind, where);
    try {
      const stored = await storedShas(knex, RECORD);
      const acked = outcomes.filter(o => o.status === 200);
      const notOnce = acked.filter(o => stored.get(o.sha) !== 1);
      const duplicated = [...stored.values()].filter(count => count > 1);
      const storedEvents = [...stored.values()].reduce((a, b) => a + b, 0);
      const counted =
        metrics.status === 200
          ? JSON.parse(metrics.body).dora.deploymentFrequency.deployments
          : `HTTP ${metrics.status}`;
      const [{ n: queued }] = await knex('phaset_dora_pending').count({
        n: '*',
      });
      return {
        database: kind,
        acknowledged: acked.length,
        acknowledgedBeforeKill: ackedBeforeKill,
        storedOnce: acked.length - notOnce.length,
        duplicatedShas: duplicated.length,
        answers: tally(outcomes),
        secondsToRestart: Math.round(secondsToRestart * 10) / 10,
        deploymentsInMetrics: counted,
        queuedAfterRead: Number(queued),
        ...(kind === 'postgres'
          ? { bytesPerEvent: await bytesPerEvent(knex, storedEvents) }
          : {}),
        ok:
          notOnce.length === 0 &&
          duplicated.length === 0 &&
          acked.length > 0 &&
          counted === storedEvents &&
          Number(queued) === 0,
      };
    } finally {
      await knex.destroy();
    }
  } finally {
    stop = true;
    await backend.stop('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    if (kind === 'postgres') await dropDatabases(`${run}_%`, 'kill -9');
  }
}

async function main() {
  const results = [];
  for (const kind of DATABASES) {
    results.push(await killUnderLoad(kind));
  }
  const ok = results.every(r => r.ok);
  console.log(JSON.stringify({ ok, results }, null, 2));
  if (!ok) process.exit(1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
