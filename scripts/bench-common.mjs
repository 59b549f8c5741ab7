// What the benchmarks share: the local PostgreSQL, the real backend started on
// its own databases, and recording a result block in docs/benchmarks.md.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
/** Resolves packages as the backend does (knex, pg, express...). */
export const require = createRequire(
  path.join(root, 'packages/backend/package.json'),
);
const knexFactory = require('knex');

export const pg = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD ?? '',
};

export const db = (database, max = 4) =>
  knexFactory({
    client: 'pg',
    connection: { ...pg, database },
    pool: { min: 1, max },
  });

/** Drops the databases whose names match the LIKE `pattern`. */
export async function dropDatabases(pattern, label) {
  const admin = db('postgres', 1);
  try {
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ? ORDER BY datname',
      [pattern],
    );
    for (const { datname } of rows) {
      try {
        await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      } catch (error) {
        console.warn(
          `Could not drop ${label} database ${datname}: ${error.message}`,
        );
      }
    }
    if (rows.length > 0)
      console.log(`Dropped ${rows.length} ${label} database(s).`);
  } finally {
    await admin.destroy();
  }
}

/** Polls `check` until it is true, failing early if `child` exits. */
export async function waitFor(check, what, child, seconds = 300) {
  for (let i = 0; i < seconds * 2; i++) {
    if (child && child.exitCode !== null)
      throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      if (await check()) return;
    } catch {
      // not there yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Writes `config` with the backend's port and `database` as an app-config
 * file (JSON, which the YAML loader reads) in the temp dir; returns its path.
 */
export function writeBackendConfig(name, port, config, database) {
  const configFile = path.join(os.tmpdir(), `${name}.app-config.yaml`);
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      ...config,
      backend: {
        baseUrl: `http://localhost:${port}`,
        listen: { port },
        database,
        ...config.backend,
      },
    }),
  );
  return configFile;
}

/**
 * Starts the real backend (as `yarn workspace backend start` does, without
 * restarting on file changes) on PostgreSQL
 * databases prefixed `${run}_`, with `config` merged over app-config.yaml
 * (written as JSON, which the YAML loader reads). Logging is at `warn`: at
 * `info` every request would be logged and the logger measured.
 */
export async function startBackend({ run, port, config }) {
  const configFile = writeBackendConfig(run, port, config, {
    client: 'pg',
    prefix: `${run}_`,
    connection: pg,
  });
  // What `backstage-cli package start` runs, without its file watcher: a
  // source change by someone else must not restart the backend mid-run.
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index',
      '--config',
      '../../app-config.yaml',
      '--config',
      configFile,
    ],
    {
      cwd: path.join(root, 'packages/backend'),
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'development',
        ESBK_TSCONFIG_PATH: path.join(root, 'tsconfig.json'),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    },
  );
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    fs.rmSync(configFile, { force: true });
  };
  try {
    await waitFor(
      async () =>
        (
          await fetch(`http://localhost:${port}/.backstage/health/v1/readiness`)
        ).ok,
      'the backend',
      child,
    );
  } catch (error) {
    stop();
    throw error;
  }
  return { child, stop };
}

/** Replaces the `<!-- bench:${name}:start/end -->` block of docs/benchmarks.md. */
export function recordInDocs(name, header, output) {
  const doc = path.join(root, 'docs/benchmarks.md');
  const text = fs.readFileSync(doc, 'utf8');
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  if (!text.includes(start)) {
    console.warn(`docs/benchmarks.md has no ${start} block; not recorded`);
    return;
  }
  const block = `${start}\nLatest run: ${new Date().toISOString()}, ${header}, ${
    os.cpus().length
  } CPUs, Node ${process.version}.\n\n${output}\n${end}`;
  fs.writeFileSync(
    doc,
    text.replace(new RegExp(`${start}[\\s\\S]*${end}`), block),
  );
}
