#!/usr/bin/env node
// Two replicas on one PostgreSQL (`node scripts/replicas.mjs`, also part of
// `yarn test:reliability`; see docs/operations.md). Starts two backend
// processes on the same databases (ports 7211 and 7212) and shows:
//
// 1. events posted alternately to both are each stored once;
// 2. both answer the same metrics for the Records;
// 3. the catalog's scheduled full sync of Phaset Records (a global task under
//    Backstage's scheduler lock) runs once per interval across both;
// 4. a token revoked on one replica is refused by the other within the token
//    cache's lifetime (1 s).
//
// Prints a JSON summary; exits 1 when a check fails. Environment: PGHOST,
// PGPORT, PGUSER, PGPASSWORD, RELIABILITY_PREFIX (reliability),
// REPLICAS_EVENTS (2000), REPLICAS_SYNC_SECONDS (5).
import fs from 'node:fs';
import {
  databaseConfig,
  deployment,
  dropDatabases,
  eventUrl,
  ORG,
  phasetConfig,
  phasetDatabase,
  recordIds,
  guestToken,
  request,
  startBackendProcess,
  storedShas,
  tally,
} from './reliability-common.mjs';

const PORTS = [7211, 7212];
const PREFIX = process.env.RELIABILITY_PREFIX ?? 'reliability';
const EVENTS = Number(process.env.REPLICAS_EVENTS ?? 2000);
const SYNC_SECONDS = Number(process.env.REPLICAS_SYNC_SECONDS ?? 5);
const SENDERS = 8;
const RECORDS = recordIds(4);
const TOKEN_CACHE_MS = 1000; // CREDENTIALS_TTL_MS in TokenService
const sleep = ms => new Promise(r => setTimeout(r, ms));
const api = port => `http://localhost:${port}/api/phaset`;

/** Posts EVENTS deployments, request i to replica i % 2, spread over Records. */
async function postAlternately() {
  const outcomes = [];
  let next = 0;
  const sender = async () => {
    while (next < EVENTS) {
      const i = next++;
      const port = PORTS[i % 2];
      const record = RECORDS[i % RECORDS.length];
      const sha = `replica-${i}`;
      const outcome = await request(eventUrl(port, record), {
        method: 'POST',
        body: deployment(sha),
        keepAlive: true,
      });
      outcomes.push({ ...outcome, sha, record, port });
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  return outcomes;
}

/** Start times of the full syncs in a replica's log (`Phaset: synced ...`). */
function syncRuns(logFile, port) {
  return fs
    .readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(line => line.includes('Phaset: synced'))
    .map(line => ({
      at: Date.parse(line.match(/\d{4}-\d\d-\d\dT[\d:.]+Z/)?.[0]),
      port,
    }));
}

async function revocation(tokens) {
  const [a, b] = PORTS;
  const record = RECORDS[0];
  const auth = port => ({ authorization: `Bearer ${tokens[port]}` });
  const issued = JSON.parse(
    (
      await request(`${api(a)}/records/${record}/tokens`, {
        method: 'POST',
        headers: auth(a),
        body: JSON.stringify({ name: 'revoked-by-replica-check' }),
      })
    ).body,
  );
  const post = () =>
    request(`${api(b)}/integration/event/${ORG}/${record}/${issued.token}`, {
      method: 'POST',
      body: deployment(`revocation-${Date.now()}`),
    });
  const beforeRevoke = (await post()).status;
  const revoke = await request(
    `${api(a)}/records/${record}/tokens/${issued.id}`,
    { method: 'DELETE', headers: auth(a) },
  );
  const revokedAt = Date.now();
  let status;
  do {
    status = (await post()).status;
    if (status !== 401) await sleep(25);
  } while (status !== 401 && Date.now() - revokedAt < 10 * TOKEN_CACHE_MS);
  return {
    statusOnOtherReplicaBeforeRevoke: beforeRevoke,
    revokeStatus: revoke.status,
    msUntilOtherReplicaRefuses: Date.now() - revokedAt,
    refused: status === 401,
  };
}

async function main() {
  const run = `${PREFIX}_replicas_${Date.now()}`;
  const database = databaseConfig('postgres', { prefix: run });
  const config = phasetConfig(RECORDS);
  config.phaset.catalog = {
    schedule: {
      frequency: { seconds: SYNC_SECONDS },
      timeout: { seconds: 30 },
      initialDelay: { seconds: 1 },
    },
  };
  const failures = [];
  const results = {};
  // The first replica creates the schema alone; then the second joins.
  const replicas = [];
  try {
    for (const port of PORTS) {
      const replica = startBackendProcess({
        name: `${run}-${port}`,
        port,
        database,
        config,
        // Info level, for the catalog sync lines.
        logLevel: 'info',
      });
      replicas.push(replica);
      await replica.ready();
    }
    const bothUpAt = Date.now();
    const tokens = {};
    for (const port of PORTS) tokens[port] = await guestToken(port);

    // 1. Events alternately to both replicas.
    const from = new Date(Date.now() - 60_000).toISOString();
    const outcomes = await postAlternately();
    const to = new Date(Date.now() + 60_000).toISOString();
    const knex = phasetDatabase('postgres', { prefix: run });
    try {
      let acked = 0;
      let notOnce = 0;
      for (const record of RECORDS) {
        const stored = await storedShas(knex, record);
        for (const o of outcomes.filter(
          x => x.record === record && x.status === 200,
        )) {
          acked += 1;
          if (stored.get(o.sha) !== 1) notOnce += 1;
        }
      }
      results.events = {
        posted: outcomes.length,
        answers: tally(outcomes),
        perReplica: Object.fromEntries(
          PORTS.map(p => [p, outcomes.filter(o => o.port === p).length]),
        ),
        acknowledged: acked,
        storedOnce: acked - notOnce,
      };
      if (notOnce)
        failures.push(`${notOnce} acknowledged events not stored once`);
      if (acked !== EVENTS)
        failures.push(`${EVENTS - acked} events not acknowledged`);
    } finally {
      await knex.destroy();
    }

    // 2. The same metrics from both.
    let identical = 0;
    for (const record of RECORDS) {
      const answers = await Promise.all(
        PORTS.map(async port =>
          request(`${api(port)}/metrics/${record}?from=${from}&to=${to}`, {
            headers: { authorization: `Bearer ${tokens[port]}` },
          }),
        ),
      );
      const [a, b] = answers.map(r => r.body);
      if (answers.every(r => r.status === 200) && a === b) identical += 1;
      else failures.push(`metrics of ${record} differ between replicas`);
    }
    const sample = JSON.parse(
      (
        await request(
          `${api(PORTS[0])}/metrics/${RECORDS[0]}?from=${from}&to=${to}`,
          {
            headers: { authorization: `Bearer ${tokens[PORTS[0]]}` },
          },
        )
      ).body,
    );
    results.metrics = {
      records: RECORDS.length,
      identicalOnBoth: identical,
      deploymentsOfFirstRecord:
        sample?.dora?.deploymentFrequency?.deployments ?? null,
    };

    // 4. Revocation seen by the other replica.
    results.revocation = await revocation(tokens);
    if (
      results.revocation.statusOnOtherReplicaBeforeRevoke !== 200 ||
      results.revocation.revokeStatus !== 204
    )
      failures.push('the issued token did not work, or was not revoked');
    else if (!results.revocation.refused)
      failures.push('revoked token still accepted by the other replica');
    else if (
      results.revocation.msUntilOtherReplicaRefuses >
      TOKEN_CACHE_MS + 500
    )
      failures.push('revoked token accepted longer than the documented bound');

    // 3. Scheduled syncs: let a few intervals pass with both replicas up.
    const waitUntil = bothUpAt + 6 * SYNC_SECONDS * 1000;
    if (Date.now() < waitUntil) await sleep(waitUntil - Date.now());
    const windowEnd = Date.now();
    const runs = replicas
      .flatMap(r => syncRuns(r.logFile, r.port))
      .filter(r => r.at >= bothUpAt && r.at <= windowEnd)
      .sort((x, y) => x.at - y.at);
    const gaps = runs.slice(1).map((r, i) => r.at - runs[i].at);
    const intervals = (windowEnd - bothUpAt) / (SYNC_SECONDS * 1000);
    results.catalogSync = {
      intervalSeconds: SYNC_SECONDS,
      windowSeconds: Math.round((windowEnd - bothUpAt) / 1000),
      runs: runs.length,
      runsPerReplica: Object.fromEntries(
        PORTS.map(p => [p, runs.filter(r => r.port === p).length]),
      ),
      shortestGapMs: gaps.length ? Math.min(...gaps) : null,
    };
    // Without the scheduler's lock each replica would run every interval:
    // about twice as many runs. (Runs are logged when they end, so the gaps
    // between them vary with each run's duration.)
    if (runs.length < Math.floor(intervals) - 1)
      failures.push(
        `only ${runs.length} catalog syncs in ${intervals.toFixed(
          1,
        )} intervals`,
      );
    if (runs.length > Math.ceil(intervals) + 1)
      failures.push(
        `${runs.length} catalog syncs in ${intervals.toFixed(1)} intervals`,
      );
  } finally {
    await Promise.all(replicas.map(r => r.stop()));
    await dropDatabases(`${run}_%`, 'replica');
  }
  results.ok = failures.length === 0;
  results.failures = failures;
  console.log(JSON.stringify(results, null, 2));
  if (failures.length) process.exit(1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
