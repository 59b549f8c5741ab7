#!/usr/bin/env node
// `yarn test:reliability`: the checks that run real backend processes and take
// minutes, so they are not part of `yarn test`. Runs each one, prints its
// summary, records them all in docs/operations.md and exits 1 if one failed.
// Needs the local PostgreSQL (PGHOST, PGPORT, PGUSER, PGPASSWORD).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './bench-common.mjs';

const CHECKS = [
  {
    name: 'Startup and shutdown under load (SQLite)',
    script: 'scripts/reliability-lifecycle.mjs',
  },
  {
    name: 'kill -9 under load (SQLite, PostgreSQL)',
    script: 'scripts/reliability-kill9.mjs',
  },
  {
    name: 'Two replicas on one PostgreSQL',
    script: 'scripts/replicas.mjs',
  },
  {
    name: 'Fuzz, 10,000 requests per database (SQLite, PostgreSQL)',
    script: 'scripts/reliability-fuzz.mjs',
  },
];

function run(script) {
  return new Promise(resolve => {
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(root, script)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', chunk => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.on('exit', code => {
      // The summary is the JSON object printed last, after any log lines.
      let summary;
      try {
        summary = JSON.parse(stdout.slice(stdout.search(/^\{/m)));
      } catch {
        summary = { output: stdout.trim() };
      }
      resolve({
        ok: code === 0,
        seconds: Math.round((Date.now() - started) / 1000),
        summary,
      });
    });
  });
}

function record(results) {
  const doc = path.join(root, 'docs/operations.md');
  const start = '<!-- reliability:start -->';
  const end = '<!-- reliability:end -->';
  const text = fs.readFileSync(doc, 'utf8');
  if (!text.includes(start)) {
    console.warn(`docs/operations.md has no ${start} block; not recorded`);
    return;
  }
  const body = results
    .map(
      r =>
        `### ${r.name}: ${r.ok ? 'passed' : 'FAILED'} (${r.seconds} s)\n\n` +
        `\`\`\`json\n${JSON.stringify(r.summary, null, 2)}\n\`\`\``,
    )
    .join('\n\n');
  const block = `${start}\nLatest run: ${new Date().toISOString()}, ${
    os.cpus().length
  } CPUs, Node ${process.version}.\n\n${body}\n${end}`;
  fs.writeFileSync(
    doc,
    text.replace(new RegExp(`${start}[\\s\\S]*${end}`), block),
  );
}

async function main() {
  const results = [];
  for (const check of CHECKS) {
    console.log(`\n=== ${check.name} (${check.script})`);
    results.push({ ...check, ...(await run(check.script)) });
  }
  record(results);
  console.log('\n=== Summary');
  for (const r of results) {
    console.log(`${r.ok ? 'passed' : 'FAILED'}  ${r.name} (${r.seconds} s)`);
  }
  if (results.some(r => !r.ok)) process.exit(1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
