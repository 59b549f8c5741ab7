#!/usr/bin/env node
// Startup and shutdown check (part of `yarn test:reliability`): posts Phaset
// events to a real backend process while it starts and while it stops.
//
// - Startup: from before the server listens until it is ready, 8 senders post
//   without pause. No answer may be a 404; a 503 must carry Retry-After.
// - Shutdown: under the same load, plus 4 "slow" requests whose body is still
//   being sent when SIGTERM arrives, the backend gets SIGTERM. The requests in
//   flight (the slow ones) must be answered 200; no request sent before
//   SIGTERM may fail otherwise than with a 503 + Retry-After (it reached the
//   backend after draining began); later ones get that 503 or, once the
//   listener closes, a refused or reset connection, which the backend never
//   processed (its event is not stored).
// Every event answered 200 must be stored once.
//
// Prints a JSON summary; exits 1 when a check fails. Environment:
// RELIABILITY_PORT (7201), RELIABILITY_PREFIX (reliability).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  databaseConfig,
  deployment,
  eventUrl,
  phasetConfig,
  phasetDatabase,
  recordIds,
  request,
  startBackendProcess,
  storedShas,
  tally,
} from './reliability-common.mjs';

const PORT = Number(process.env.RELIABILITY_PORT ?? 7201);
const PREFIX = process.env.RELIABILITY_PREFIX ?? 'reliability';
const SENDERS = 8;
const SLOW_REQUESTS = 4;
const [RECORD] = recordIds(1);
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Senders posting unique deployments until `until()` is true. */
function load(label, until) {
  const outcomes = [];
  let n = 0;
  const sender = async s => {
    while (!until()) {
      const sha = `${label}-${s}-${n++}`;
      const startedAt = Date.now();
      const outcome = await request(eventUrl(PORT, RECORD), {
        method: 'POST',
        body: deployment(sha),
      });
      outcomes.push({ ...outcome, sha, startedAt, endedAt: Date.now() });
      // Refused connections come back at once; don't spin.
      if (outcome.error) await sleep(20);
    }
  };
  return Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s))).then(
    () => outcomes,
  );
}

/** A request whose body is sent in two halves, `pauseMs` apart. */
function slowPost(sha, pauseMs) {
  const body = deployment(sha);
  return new Promise(resolve => {
    const startedAt = Date.now();
    const req = http.request(
      eventUrl(PORT, RECORD),
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      res => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode, sha, startedAt, slow: true }),
        );
      },
    );
    req.on('error', error =>
      resolve({ error: error.code ?? 'ERROR', sha, startedAt, slow: true }),
    );
    req.flushHeaders();
    req.write(body.slice(0, 10));
    setTimeout(() => req.end(body.slice(10)), pauseMs);
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}-lifecycle-`));
  const database = databaseConfig('sqlite', { dir });
  const results = {};
  const backend = startBackendProcess({
    name: `${PREFIX}-lifecycle`,
    port: PORT,
    database,
    config: phasetConfig([RECORD]),
  });
  const failures = [];
  try {
    // Startup: load from the first instant until ready + 2 s.
    let readyAt;
    const started = Date.now();
    const startup = load(
      'startup',
      () => readyAt && Date.now() > readyAt + 2000,
    );
    await backend.ready();
    readyAt = Date.now();
    const startupOutcomes = await startup;
    const counts = tally(startupOutcomes);
    const no503Retry = startupOutcomes.filter(
      o => o.status === 503 && !o.headers['retry-after'],
    ).length;
    results.startup = {
      secondsToReady: Math.round((readyAt - started) / 100) / 10,
      answers: counts,
      maxWaitMs: Math.max(
        ...startupOutcomes
          .filter(o => o.status)
          .map(o => o.endedAt - o.startedAt),
      ),
    };
    if (counts['404']) failures.push(`startup: ${counts['404']} answers 404`);
    if (no503Retry)
      failures.push(`startup: ${no503Retry} 503s without Retry-After`);
    if (!counts['200']) failures.push('startup: no event accepted');

    // Shutdown: load, then SIGTERM while slow requests are mid-body.
    let exited = false;
    const shutdownLoad = load('shutdown', () => exited);
    await sleep(1000);
    const slow = Array.from({ length: SLOW_REQUESTS }, (_, i) =>
      slowPost(`slow-${i}`, 2000),
    );
    await sleep(300);
    const sigtermAt = Date.now();
    backend.child.kill('SIGTERM');
    await backend.exited;
    const stoppedAt = Date.now();
    exited = true;
    const shutdownOutcomes = [
      ...(await shutdownLoad),
      ...(await Promise.all(slow)),
    ];
    const before = shutdownOutcomes.filter(o => o.startedAt < sigtermAt);
    const after = shutdownOutcomes.filter(o => o.startedAt >= sigtermAt);
    results.shutdown = {
      secondsToExit: Math.round((stoppedAt - sigtermAt) / 100) / 10,
      sentBeforeSigterm: tally(before),
      slowRequests: tally(shutdownOutcomes.filter(o => o.slow)),
      sentAfterSigterm: tally(after),
    };
    const refusedCleanly = o =>
      o.status === 503 && Boolean(o.headers?.['retry-after']);
    const beforeBad = before.filter(
      o => o.status !== 200 && !refusedCleanly(o),
    );
    if (beforeBad.length)
      failures.push(
        `shutdown: ${
          beforeBad.length
        } requests sent before SIGTERM neither 200 nor 503 with Retry-After (${JSON.stringify(
          tally(beforeBad),
        )})`,
      );
    const slowBad = shutdownOutcomes.filter(o => o.slow && o.status !== 200);
    if (slowBad.length)
      failures.push(
        `shutdown: ${slowBad.length} in-flight slow requests not answered 200`,
      );
    const afterBad = after.filter(
      o =>
        !refusedCleanly(o) && !['ECONNREFUSED', 'ECONNRESET'].includes(o.error),
    );
    if (afterBad.length)
      failures.push(
        `shutdown: ${
          afterBad.length
        } requests after SIGTERM answered other than 503 with Retry-After (${JSON.stringify(
          tally(afterBad),
        )})`,
      );

    // Every acknowledged event is stored once (read after the process ended).
    const knex = phasetDatabase('sqlite', { dir });
    try {
      const stored = await storedShas(knex, RECORD);
      const acked = [...startupOutcomes, ...shutdownOutcomes].filter(
        o => o.status === 200,
      );
      const missing = acked.filter(o => stored.get(o.sha) !== 1);
      results.acknowledged = acked.length;
      results.storedOnce = acked.length - missing.length;
      if (missing.length)
        failures.push(`${missing.length} acknowledged events not stored once`);
      // A reset must be a connection the backend never admitted: had it
      // processed the request, the event would be stored.
      const reset = shutdownOutcomes.filter(o => o.error === 'ECONNRESET');
      const processed = reset.filter(o => stored.has(o.sha));
      results.resetConnectionsNeverProcessed = reset.length - processed.length;
      if (processed.length)
        failures.push(`${processed.length} reset requests had been processed`);
    } finally {
      await knex.destroy();
    }
  } finally {
    await backend.stop('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
  results.ok = failures.length === 0;
  results.failures = failures;
  console.log(JSON.stringify(results, null, 2));
  if (failures.length) {
    console.error(`Backend log: ${backend.logFile}`);
    process.exit(1);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
