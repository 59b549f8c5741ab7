// What the reliability checks share: the backend started as its own process
// (no file watcher, so edits elsewhere in the tree do not restart it), on
// SQLite or PostgreSQL, and a client that posts Phaset events to it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  db,
  pg,
  require,
  root,
  waitFor,
  writeBackendConfig,
} from './bench-common.mjs';

export { db, dropDatabases, root, waitFor } from './bench-common.mjs';

export const ORG = 'reliaorg';
export const TOKEN = 'reliability-token';
export const recordIds = n =>
  Array.from({ length: n }, (_, i) => `reliarec${String(i).padStart(2, '0')}`);

/** app-config for a check: its Records, no catalog files, no rate limit. */
export function phasetConfig(records = recordIds(1)) {
  return {
    catalog: { locations: [] },
    phaset: {
      organizations: [{ id: ORG }],
      records: records.map(id => ({
        id,
        organization: ORG,
        tokens: [{ name: 'ci', token: TOKEN }],
      })),
      integration: { requestsPerMinute: 0 },
      // The checks sign in as the dev guest and manage tokens of Records no
      // group owns: admin under the example permission policy.
      permissions: { adminGroups: ['group:default/guests'] },
    },
  };
}

/** Database settings: `sqlite` in `dir`, or PostgreSQL databases prefixed `${prefix}_`. */
export function databaseConfig(kind, { dir, prefix }) {
  return kind === 'sqlite'
    ? { client: 'better-sqlite3', connection: { directory: dir } }
    : { client: 'pg', prefix: `${prefix}_`, connection: pg };
}

/**
 * Starts packages/backend the way `backstage-cli package start` runs it (Node
 * with Backstage's TypeScript transform, NODE_ENV=development) but without
 * the CLI's watcher. Returns at once; `ready()` waits for readiness.
 */
export function startBackendProcess({
  name,
  port,
  database,
  config = {},
  logLevel = process.env.LOG_LEVEL ?? 'warn',
}) {
  const configFile = writeBackendConfig(name, port, config, database);
  const log = fs.openSync(path.join(os.tmpdir(), `${name}.log`), 'a');
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      '../../app-config.yaml',
      '--config',
      configFile,
    ],
    {
      cwd: path.join(root, 'packages/backend'),
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: logLevel,
        ESBK_TSCONFIG_PATH: path.join(root, 'tsconfig.json'),
      },
      stdio: ['ignore', log, log],
    },
  );
  const exited = new Promise(resolve => child.once('exit', resolve));
  return {
    child,
    port,
    logFile: path.join(os.tmpdir(), `${name}.log`),
    exited,
    ready: (seconds = 300) =>
      waitFor(
        async () =>
          (
            await fetch(
              `http://localhost:${port}/.backstage/health/v1/readiness`,
            )
          ).ok,
        `the backend on :${port}`,
        child,
        seconds,
      ),
    /** Sends `signal` and waits for the process to exit. */
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }
      await exited;
      fs.rmSync(configFile, { force: true });
    },
  };
}

const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One HTTP request with node:http (fetch hides resets behind a generic
 * error). Resolves `{status, headers, body}` or `{error: code}`. Without
 * `keepAlive` each request has its own connection.
 */
export function request(
  url,
  { method = 'GET', body, headers = {}, keepAlive = false } = {},
) {
  return new Promise(resolve => {
    const req = http.request(
      url,
      {
        method,
        agent: keepAlive ? keepAliveAgent : false,
        headers: body
          ? { 'content-type': 'application/json', ...headers }
          : headers,
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: text }),
        );
        res.on('error', error => resolve({ error: error.code ?? 'ERROR' }));
      },
    );
    req.on('error', error => resolve({ error: error.code ?? 'ERROR' }));
    req.end(body);
  });
}

/** A Backstage token of the dev guest, for the plugin's read routes. */
export async function guestToken(port) {
  const res = await request(`http://localhost:${port}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  return JSON.parse(res.body).backstageIdentity.token;
}

export const eventUrl = (port, recordId) =>
  `http://localhost:${port}/api/phaset/integration/event/${ORG}/${recordId}/${TOKEN}`;

/** A deployment event whose commit SHA names it, so each is counted once. */
export const deployment = sha =>
  JSON.stringify({
    event: 'deployment',
    commitSha: sha,
    timestamp: String(Date.now()),
  });

/** How many stored deployment events each SHA has, from the plugin's database. */
export async function storedShas(knex, recordId) {
  const rows = await knex('phaset_events')
    .where({ record_id: recordId, kind: 'deployment' })
    .select('commit_sha')
    .count({ n: '*' })
    .groupBy('commit_sha');
  return new Map(rows.map(r => [r.commit_sha, Number(r.n)]));
}

/** The plugin's database: SQLite file in `dir`, or PostgreSQL `${prefix}_phaset`. */
export function phasetDatabase(kind, { dir, prefix }) {
  if (kind === 'sqlite') {
    const knexFactory = require('knex');
    return knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'phaset.sqlite') },
      useNullAsDefault: true,
    });
  }
  return db(`${prefix}_phaset`);
}

/** Counts the outcomes of many requests: `200`, `503`, `ECONNREFUSED`... */
export function tally(outcomes) {
  const counts = {};
  for (const o of outcomes) {
    const key = o.error ?? String(o.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
