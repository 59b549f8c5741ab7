#!/usr/bin/env node
// Ingest benchmark (`yarn bench:ingest`): the same load against the real
// Backstage backend (POST /api/phaset/integration/event) and against a minimal
// reference server (Express + knex + pg, one INSERT per request), both on the
// local PostgreSQL. Prints events/s and latency for both, checks that every
// acknowledged event is in the database, and records the result in
// docs/benchmarks.md.
//
// Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres),
// PGPASSWORD, BENCH_SECONDS (15), BENCH_CONNECTIONS (32).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  db,
  dropDatabases,
  recordInDocs,
  require,
  root,
  startBackend,
  waitFor,
} from './bench-common.mjs';

const autocannon = require(require.resolve('autocannon', { paths: [root] }));
const express = require('express');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const RUN = `bench${Date.now()}`;
const BACKEND_PORT = 7107;
const REFERENCE_PORT = 7108;
const BODY = JSON.stringify({ event: 'comment' });

const ready = url => async () => (await fetch(url)).ok;

function load(url) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: BODY,
        connections: CONNECTIONS,
        duration: SECONDS,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function startPhasetBackend() {
  const backend = await startBackend({
    run: RUN,
    port: BACKEND_PORT,
    config: {
      catalog: { locations: [] },
      phaset: {
        organizations: [{ id: 'benchorg' }],
        records: [
          {
            id: 'benchrec01',
            organization: 'benchorg',
            tokens: [{ name: 'bench', token: 'bench-token' }],
          },
        ],
        integration: { requestsPerMinute: 0 },
      },
    },
  });
  return {
    url: `http://localhost:${BACKEND_PORT}/api/phaset/integration/event/benchorg/benchrec01/bench-token`,
    stop: backend.stop,
    count: async () => {
      const k = db(`${RUN}_phaset`);
      const [{ n }] = await k('phaset_events')
        .where({ record_id: 'benchrec01' })
        .count({ n: '*' });
      await k.destroy();
      return Number(n);
    },
  };
}

/** The reference server; runs in its own process, like the backend. */
async function serveReference(name) {
  const k = db(name, 10);
  const app = express();
  app.use(express.json());
  app.post('/event', async (req, res) => {
    await k('events').insert({
      body: JSON.stringify(req.body),
      received_at: new Date(),
    });
    res.json({ accepted: 1 });
  });
  app.get('/ready', (_req, res) => res.end());
  app.listen(REFERENCE_PORT);
}

async function startReference() {
  const name = `${RUN}_reference`;
  const admin = db('postgres', 1);
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const k = db(name, 10);
  await k.schema.createTable('events', t => {
    t.bigIncrements('id');
    t.text('body').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable();
  });
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), '--reference', name],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  await waitFor(
    ready(`http://localhost:${REFERENCE_PORT}/ready`),
    'the reference server',
    child,
  );
  return {
    url: `http://localhost:${REFERENCE_PORT}/event`,
    stop: async () => {
      child.kill('SIGTERM');
      await k.destroy();
    },
    count: async () => {
      const [{ n }] = await k('events').count({ n: '*' });
      return Number(n);
    },
  };
}

function summary(name, result, stored) {
  const ok = result['2xx'];
  return {
    name,
    eventsPerSecond: Math.round(ok / (result.duration || SECONDS)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    acknowledged: ok,
    stored,
    errors: result.errors + result.non2xx,
  };
}

async function main() {
  console.log(`Starting the backend on PostgreSQL (${RUN}_*)...`);
  const backend = await startPhasetBackend();
  let backendResult;
  try {
    await load(backend.url); // warm-up (transpilation, JIT, pools) is not measured
    const before = await backend.count();
    const result = await load(backend.url);
    backendResult = summary(
      'Backstage phaset backend',
      result,
      (await backend.count()) - before,
    );
  } finally {
    backend.stop();
  }
  const reference = await startReference();
  let referenceResult;
  try {
    await load(reference.url); // same warm-up as the backend got
    const before = await reference.count();
    const result = await load(reference.url);
    referenceResult = summary(
      'Reference (Express + knex + pg)',
      result,
      (await reference.count()) - before,
    );
  } finally {
    await reference.stop();
  }

  const rows = [backendResult, referenceResult];
  const ratio = backendResult.eventsPerSecond / referenceResult.eventsPerSecond;
  const table = [
    '| server | events/s | p50 ms | p99 ms | acknowledged | stored | errors |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      r =>
        `| ${r.name} | ${r.eventsPerSecond} | ${r.p50} | ${r.p99} | ${r.acknowledged} | ${r.stored} | ${r.errors} |`,
    ),
  ].join('\n');
  // Requests still in flight when the load stops are stored but not counted
  // as acknowledged by autocannon, so stored may exceed acknowledged.
  const lost = rows.filter(r => r.stored < r.acknowledged);
  const verdict = [
    `Ratio (backend / reference events/s): **${ratio.toFixed(
      2,
    )}** (target ≥ 1.0)`,
    `Backend p99: **${backendResult.p99} ms** (target < 100 ms)`,
    `Every acknowledged event stored: **${lost.length === 0 ? 'yes' : 'NO'}**`,
  ].join('\n\n');
  const output = `${table}\n\n${verdict}`;
  console.log(`\n${output}\n`);

  recordInDocs('ingest', `${CONNECTIONS} connections × ${SECONDS} s`, output);
  await dropDatabases(`${RUN}\\_%`, 'benchmark');
  if (lost.length > 0) {
    console.error('Acknowledged events are missing from the database');
    process.exit(1);
  }
}

const run =
  process.argv[2] === '--reference' ? serveReference(process.argv[3]) : main();
run.catch(error => {
  console.error(error);
  process.exit(1);
});
