#!/usr/bin/env node
// The seeded fuzz of every route family (plugins/phaset-backend's
// src/__scenarios__/security/fuzz.test.ts) at a larger count than `yarn test`
// runs: PHASET_FUZZ_REQUESTS (default here 10,000) mutated requests per
// database, on SQLite and the local PostgreSQL. Fails on any 5xx or on stored
// data that changed; prints a JSON summary last, as the other checks do.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { root } from './bench-common.mjs';

const requests = Number(process.env.PHASET_FUZZ_REQUESTS ?? 10_000);
const seed = process.env.PHASET_FUZZ_SEED ?? '20261123';
const postgres =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  `postgresql://${process.env.PGUSER ?? 'postgres'}@${
    process.env.PGHOST ?? '127.0.0.1'
  }:${process.env.PGPORT ?? 5432}`;

const started = Date.now();
const child = spawn(
  'yarn',
  [
    'backstage-cli',
    'package',
    'test',
    '--ci',
    '--verbose',
    'src/__scenarios__/security/fuzz',
  ],
  {
    cwd: path.join(root, 'plugins/phaset-backend'),
    env: {
      ...process.env,
      CI: 'true',
      BACKSTAGE_TEST_DISABLE_DOCKER: '1',
      BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING: postgres,
      PHASET_FUZZ_REQUESTS: String(requests),
      PHASET_FUZZ_SEED: seed,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
child.on('exit', code => {
  console.log(
    JSON.stringify({
      requestsPerDatabase: requests,
      seed: Number(seed),
      databases: ['SQLite', 'PostgreSQL 15'],
      result: code === 0 ? 'no 5xx, stored data unchanged' : 'failed',
      seconds: Math.round((Date.now() - started) / 1000),
    }),
  );
  process.exit(code ?? 1);
});
