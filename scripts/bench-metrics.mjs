#!/usr/bin/env node
// Metrics benchmark (`yarn bench:metrics`): starts the real Backstage backend
// on fresh PostgreSQL databases, creates 1,000 Records through the REST API
// (each linked to a catalog Component with one of 20 owners), seeds 1,000,000
// normalised events (and their raw deliveries) over the last year directly in
// SQL, then measures through HTTP, with a Backstage token:
//
// - GET /api/phaset/metrics/{recordId} (30-day default window, 90 and 365 days),
// - GET /api/phaset/metrics/{recordId}/series (weekly lead time over the window),
// - GET /api/phaset/metrics?org=benchorg (the roll-up over all 1,000 Records),
//
// and, in the same run, plain reference SQL over the same rows (count(*) and
// percentile_cont for one Record and grouped over all Records). Prints the
// table, records it in docs/benchmarks.md and drops its databases.
//
// Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres),
// PGPASSWORD, BENCH_RECORDS (1000), BENCH_EVENTS_PER_RECORD (1000),
// BENCH_REQUESTS (200 per-Record requests per window), BENCH_ROLLUPS (10),
// BENCH_KEEP=1 keeps the databases, BENCH_DB_PREFIX (bench) names them,
// BENCH_PORT (7109) is the backend's port. BENCH_REUSE=<run> (the
// `benchmetrics<time>` a BENCH_KEEP=1 run printed) measures on that run's
// kept databases without creating Records or seeding, keeps them, and does
// not write docs/benchmarks.md: for iterating on the read path.
//
// The events are seeded in SQL behind the backend's back, so the backend is
// then restarted: on start it builds the DORA facts of events that have none
// (DoraFactStore.backfill, as after an upgrade), and the run reports how long
// that took.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  db,
  dropDatabases,
  recordInDocs,
  startBackend,
  waitFor,
} from './bench-common.mjs';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1000);
// The mix below is laid out over 1,000 slots; fewer events per Record take
// every (1000 / n)-th slot, which keeps the mix and its references whole.
const EVENTS_PER_RECORD = Number(process.env.BENCH_EVENTS_PER_RECORD ?? 1000);
if (![1000, 500, 200, 100].includes(EVENTS_PER_RECORD)) {
  throw new Error('BENCH_EVENTS_PER_RECORD: one of 1000, 500, 200, 100');
}
const SLOT_STEP = 1000 / EVENTS_PER_RECORD;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const ROLLUPS = Number(process.env.BENCH_ROLLUPS ?? 10);
const OWNERS = 20;
/** Issue 20: the whole roll-up within 1 s at 1,000 Records, 2 s at 10,000. */
const ROLLUP_TARGET_MS = RECORDS > 1000 ? 2000 : 1000;
const PREFIX = process.env.BENCH_DB_PREFIX ?? 'bench';
const REUSE = process.env.BENCH_REUSE;
const RUN = REUSE ?? `${PREFIX}metrics${Date.now()}`;
const PORT = Number(process.env.BENCH_PORT ?? 7109);
const BASE = `http://localhost:${PORT}`;
const TOKEN = crypto.randomBytes(24).toString('base64url');
const AUTH = { authorization: `Bearer ${TOKEN}` };
const DAY_MS = 86_400_000;

const recordId = i => `bench${String(i).padStart(5, '0')}`;

/** 1,000 Components owned by 20 groups, for the Records to link to. */
function writeCatalog(file) {
  const docs = [];
  for (let g = 0; g < OWNERS; g++) {
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-${g} }
spec: { type: team, children: [] }`);
  }
  for (let i = 0; i < RECORDS; i++) {
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: svc-${i} }
spec: { type: service, lifecycle: production, owner: group:default/team-${
      i % OWNERS
    } }`);
  }
  fs.writeFileSync(file, `${docs.join('\n---\n')}\n`);
}

async function startMetricsBackend() {
  const catalogFile = path.join(os.tmpdir(), `${RUN}.catalog.yaml`);
  writeCatalog(catalogFile);
  const backend = await startBackend({
    run: RUN,
    port: PORT,
    config: {
      backend: {
        auth: {
          externalAccess: [
            { type: 'static', options: { token: TOKEN, subject: 'bench' } },
          ],
        },
      },
      catalog: {
        rules: [{ allow: ['Component', 'Group'] }],
        locations: [{ type: 'file', target: catalogFile }],
      },
      phaset: {
        organizations: [{ id: 'benchorg' }],
        records: [],
        integration: { requestsPerMinute: 0 },
      },
    },
  });
  return {
    child: backend.child,
    stop: () => {
      backend.stop();
      fs.rmSync(catalogFile, { force: true });
    },
  };
}

async function createRecords() {
  const ids = Array.from({ length: RECORDS }, (_, i) => recordId(i));
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      const response = await fetch(`${BASE}/api/phaset/records`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: ids[i],
          organization: 'benchorg',
          entityRef: `component:default/svc-${i}`,
        }),
      });
      if (response.status !== 201) {
        throw new Error(
          `POST /records ${ids[i]}: ${
            response.status
          } ${await response.text()}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

/**
 * 1,000 events per Record over the year before `now`, shaped like the rows
 * EventService writes: 300 changes; 150 successful and 20 failed production
 * deployments and 80 staging deployments, each of a changed commit 0-72 h
 * after its change; 20
 * incidents opened and resolved (0-48 h later); 100 pull requests opened (80
 * merged 0-72 h later, 10 closed), 120 reviews, 100 comments. Times come from
 * a hash of (record, slot) so that the rows of one PR or incident agree.
 */
function seedSql(now) {
  const h = key =>
    `(('x' || substr(md5(s.record_id || ':' || ${key}), 1, 8))::bit(32)::bigint)::float8 / 4294967296`;
  const T0 = `'${new Date(now - 365 * DAY_MS).toISOString()}'::timestamptz`;
  // Whole milliseconds, like the times the application writes.
  const at = key =>
    `date_trunc('milliseconds', ${T0} + ${h(key)} * interval '363 days')`;
  const hours = (key, n) =>
    `date_trunc('milliseconds', ${h(key)} * interval '${n} hours')`;
  const slot = (lo, hi) => `s.n >= ${lo} AND s.n < ${hi}`;
  const prCreated = `${at(`'p' || (s.n - 590)`)}`;
  const mergedPr = `${at(`'p' || (s.n - 690)`)}`;
  const closedPr = `${at(`'p' || (s.n - 770 + 80)`)}`;
  const reviewPr = `${at(`'p' || ((s.n - 780) % 100)`)}`;
  const incidentOpened = k => at(`'i' || ${k}`);
  return `
WITH s AS (
  SELECT r.id AS record_id, n, md5(r.id || ':' || n)::uuid AS raw_id
  FROM phaset_records r CROSS JOIN generate_series(0, 999, ${SLOT_STEP}) n
  WHERE r.id = ANY(?)
), e AS (
  SELECT s.*,
    CASE
      WHEN ${slot(0, 300)} THEN 'change'
      WHEN ${slot(300, 550)} THEN 'deployment'
      WHEN ${slot(550, 570)} THEN 'incident-opened'
      WHEN ${slot(570, 590)} THEN 'incident-resolved'
      WHEN ${slot(590, 690)} THEN 'pr-opened'
      WHEN ${slot(690, 770)} THEN 'pr-merged'
      WHEN ${slot(770, 780)} THEN 'pr-closed'
      WHEN ${slot(
        780,
        900,
      )} THEN CASE WHEN s.n % 4 = 0 THEN 'review-changes' ELSE 'review-approved' END
      ELSE 'comment'
    END AS kind,
    CASE
      WHEN ${slot(550, 570)} THEN ${incidentOpened('(s.n - 550)')}
      WHEN ${slot(570, 590)} THEN ${incidentOpened('(s.n - 570)')}
    END AS opened,
    CASE WHEN ${slot(590, 780)} THEN CASE
      WHEN ${slot(590, 690)} THEN ${prCreated}
      WHEN ${slot(690, 770)} THEN ${mergedPr}
      ELSE ${closedPr} END
    WHEN ${slot(780, 900)} THEN ${reviewPr}
    END AS pr_created
  FROM s
), rows AS (
  SELECT s.*,
    CASE
      WHEN kind = 'incident-opened' THEN opened
      WHEN kind = 'incident-resolved' THEN opened + ${hours(`'r' || s.n`, 48)}
      WHEN kind = 'pr-opened' THEN pr_created
      WHEN kind = 'pr-merged' THEN pr_created + ${hours(`'m' || s.n`, 72)}
      WHEN kind = 'pr-closed' THEN pr_created + ${hours(`'m' || s.n`, 72)}
      WHEN kind LIKE 'review-%' THEN pr_created + ${hours(`'v' || s.n`, 24)}
      -- A deployment ships its commit 0-72 h after the change.
      WHEN kind = 'deployment' THEN ${at('(s.n - 300) * 2 % 300')} + ${hours(
    `'d' || s.n`,
    72,
  )}
      ELSE ${at('s.n')}
    END AS occurred
  FROM e AS s
)
INSERT INTO phaset_events (id, record_id, raw_event_id, token_id, source, kind,
  external_id, occurred_at, commit_sha, branch, environment, result,
  is_production, deployment_id, incident_id, opened_at, resolved_at, pr_id,
  pr_created_at, merged_at, closed_at, submitted_at, additions, deletions,
  changed_files, target)
SELECT gen_random_uuid(), record_id, raw_id, md5(record_id)::uuid,
  CASE WHEN kind LIKE 'incident-%' THEN 'jira' WHEN kind IN ('change', 'deployment') THEN 'phaset' ELSE 'github' END,
  kind,
  CASE
    WHEN kind = 'deployment' THEN 'phaset:deployment:' || n
    WHEN kind LIKE 'incident-%' OR kind LIKE 'pr-%' THEN 'bench:' || n
    ELSE NULL
  END,
  occurred,
  CASE
    WHEN kind = 'change' THEN md5(record_id || ':c' || n)
    WHEN kind = 'deployment' THEN md5(record_id || ':c' || ((n - 300) * 2 % 300))
  END,
  CASE WHEN kind IN ('change', 'deployment') THEN 'main' END,
  CASE WHEN kind = 'deployment' THEN CASE WHEN n < 470 THEN 'production' ELSE 'staging' END END,
  CASE WHEN kind = 'deployment' THEN CASE WHEN n >= 450 AND n < 470 THEN 'failure' ELSE 'success' END END,
  CASE WHEN kind = 'deployment' THEN n < 470 END,
  CASE WHEN kind = 'deployment' THEN n::text END,
  CASE
    WHEN kind = 'incident-opened' THEN 'INC-' || (n - 550)
    WHEN kind = 'incident-resolved' THEN 'INC-' || (n - 570)
  END,
  CASE WHEN kind LIKE 'incident-%' THEN opened END,
  CASE WHEN kind = 'incident-resolved' THEN occurred END,
  CASE
    WHEN kind = 'pr-opened' THEN (n - 590)::text
    WHEN kind = 'pr-merged' THEN (n - 690)::text
    WHEN kind = 'pr-closed' THEN (n - 770 + 80)::text
    WHEN kind LIKE 'review-%' THEN ((n - 780) % 100)::text
  END,
  pr_created,
  CASE WHEN kind = 'pr-merged' THEN occurred END,
  CASE WHEN kind = 'pr-closed' THEN occurred END,
  CASE WHEN kind LIKE 'review-%' THEN occurred END,
  CASE WHEN kind = 'pr-opened' THEN (n * 37) % 400 END,
  CASE WHEN kind = 'pr-opened' THEN (n * 13) % 200 END,
  CASE WHEN kind = 'pr-opened' THEN 1 + n % 12 END,
  NULL
FROM rows`;
}

async function seed(k, ids) {
  const now = Date.now();
  const started = Date.now();
  await k.raw('ALTER TABLE phaset_events SET (autovacuum_enabled = false)');
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    await k.raw(seedSql(now), [chunk]);
    // The raw deliveries the events came from (a small GitHub-like body each).
    await k.raw(
      `INSERT INTO phaset_raw_events (id, record_id, token_id, source, delivery_id, headers, body, received_at)
       SELECT raw_event_id, record_id, token_id, source, raw_event_id::text,
         '{"content-type":"application/json"}',
         json_build_object('kind', kind, 'id', external_id, 'sha', commit_sha, 'at', occurred_at)::text,
         occurred_at
       FROM phaset_events WHERE record_id = ANY(?)`,
      [chunk],
    );
    process.stdout.write(
      `\r  seeded ${Math.min(i + 100, ids.length) * EVENTS_PER_RECORD} events`,
    );
  }
  await k.raw('ALTER TABLE phaset_events RESET (autovacuum_enabled)');
  await k.raw('VACUUM ANALYZE phaset_events');
  await k.raw('VACUUM ANALYZE phaset_raw_events');
  const [{ n }] = await k('phaset_events').count({ n: '*' });
  console.log(
    `\n  ${n} events in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return Number(n);
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = p =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return {
    n: sorted.length,
    p50: pick(0.5),
    p95: pick(0.95),
    max: sorted[sorted.length - 1],
  };
}

async function timed(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function getJson(url) {
  const response = await fetch(url, { headers: AUTH });
  if (!response.ok)
    throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Reference: plain SQL over the same rows and window, no application code. */
const referenceSql = oneRecord => `
SELECT record_id,
  count(*) FILTER (WHERE kind = 'deployment' AND result = 'success' AND is_production) AS deployments,
  count(*) FILTER (WHERE kind = 'change') AS changes,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at))
    FILTER (WHERE kind = 'incident-resolved') AS time_to_restore,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM merged_at - pr_created_at))
    FILTER (WHERE kind = 'pr-merged') AS merge_time
FROM phaset_events
WHERE ${
  oneRecord ? 'record_id = ? AND ' : ''
}occurred_at >= ? AND occurred_at < ?
GROUP BY record_id`;

async function measure(k, ids) {
  const random = () => ids[Math.floor(Math.random() * ids.length)];
  const results = [];
  const ms = v => v.toFixed(1);
  const row = (what, samples, extra = '') => {
    const s = stats(samples);
    results.push({ what, ...s, extra });
    console.log(
      `  ${what}: n=${s.n} p50=${ms(s.p50)} p95=${ms(s.p95)} max=${ms(
        s.max,
      )} ms ${extra}`,
    );
    return s;
  };

  const unauthenticated = await fetch(`${BASE}/api/phaset/metrics/${ids[0]}`);
  if (unauthenticated.status !== 401) {
    throw new Error(
      `expected 401 without a token, got ${unauthenticated.status}`,
    );
  }

  // The floor: an authenticated, permission-checked endpoint that reads no
  // events (the configured Baselines), through the same HTTP stack.
  for (let i = 0; i < 20; i++) await getJson(`${BASE}/api/phaset/baselines`);
  const floor = [];
  for (let i = 0; i < REQUESTS; i++) {
    floor.push(await timed(() => getJson(`${BASE}/api/phaset/baselines`)));
  }
  row('GET /baselines (auth + permission, no events: the HTTP floor)', floor);

  const windows = [
    { name: '30 days (default)', days: 30, query: '' },
    { name: '90 days', days: 90 },
    { name: '365 days', days: 365 },
  ];
  const summary = {};
  for (const w of windows) {
    const to = Date.now();
    const from = to - w.days * DAY_MS;
    const query = w.query ?? `?from=${from}&to=${to}`;
    // Warm-up: transpiled code, JIT, connection pools, PostgreSQL cache.
    for (let i = 0; i < 20; i++)
      await getJson(`${BASE}/api/phaset/metrics/${random()}${query}`);
    const api = [];
    let deployments = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const id = random();
      api.push(
        await timed(async () => {
          deployments += (
            await getJson(`${BASE}/api/phaset/metrics/${id}${query}`)
          ).dora.deploymentFrequency.deployments;
        }),
      );
    }
    const sqlFrom = new Date(from);
    const sqlTo = new Date(to);
    for (let i = 0; i < 20; i++)
      await k.raw(referenceSql(true), [random(), sqlFrom, sqlTo]);
    const sql = [];
    for (let i = 0; i < REQUESTS; i++) {
      const id = random();
      sql.push(
        await timed(() => k.raw(referenceSql(true), [id, sqlFrom, sqlTo])),
      );
    }
    const apiStats = row(
      `GET /metrics/{record}, ${w.name}`,
      api,
      `(mean ${(deployments / REQUESTS).toFixed(1)} deployments)`,
    );
    const sqlStats = row(`reference SQL, one record, ${w.name}`, sql);

    const series = [];
    const seriesQuery = `?metric=leadTimeForChanges&interval=week&from=${from}&to=${to}`;
    for (let i = 0; i < 10; i++)
      await getJson(
        `${BASE}/api/phaset/metrics/${random()}/series${seriesQuery}`,
      );
    let points = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const id = random();
      series.push(
        await timed(async () => {
          points = (
            await getJson(
              `${BASE}/api/phaset/metrics/${id}/series${seriesQuery}`,
            )
          ).points.length;
        }),
      );
    }
    const seriesStats = row(
      `GET /metrics/{record}/series (lead time by week), ${w.name}`,
      series,
      `(${points} points)`,
    );

    const rollupQuery = `org=benchorg${w.query ?? `&from=${from}&to=${to}`}`;
    // One page of Records at the largest page size, and the whole roll-up as
    // a screen reads it: every page of Records and of owners.
    const firstPage = () =>
      getJson(`${BASE}/api/phaset/metrics?${rollupQuery}&limit=1000`);
    const wholeRollup = async () => {
      const walk = async path => {
        const items = [];
        let cursor;
        do {
          const page = await getJson(
            `${BASE}/api/phaset/${path}?${rollupQuery}&limit=1000${
              cursor ? `&cursor=${cursor}` : ''
            }`,
          );
          items.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        return items;
      };
      const [records, owners] = await Promise.all([
        walk('metrics'),
        walk('metrics/owners'),
      ]);
      return { records: records.length, owners: owners.length };
    };
    const ownersPage = () =>
      getJson(`${BASE}/api/phaset/metrics/owners?${rollupQuery}&limit=1000`);
    await firstPage();
    const rollupPage = [];
    for (let i = 0; i < ROLLUPS; i++) rollupPage.push(await timed(firstPage));
    await ownersPage();
    const rollupOwners = [];
    for (let i = 0; i < ROLLUPS; i++)
      rollupOwners.push(await timed(ownersPage));
    await wholeRollup();
    const rollup = [];
    let rollupRows = 0;
    let owners = 0;
    for (let i = 0; i < ROLLUPS; i++) {
      rollup.push(
        await timed(async () => {
          ({ records: rollupRows, owners } = await wholeRollup());
        }),
      );
    }
    await k.raw(referenceSql(false), [sqlFrom, sqlTo]);
    const all = [];
    for (let i = 0; i < ROLLUPS; i++) {
      all.push(await timed(() => k.raw(referenceSql(false), [sqlFrom, sqlTo])));
    }
    const rollupPageStats = row(
      `GET /metrics?org=benchorg&limit=1000 (one page), ${w.name}`,
      rollupPage,
    );
    const rollupOwnersStats = row(
      `GET /metrics/owners?org=benchorg&limit=1000 (one page: every owner), ${w.name}`,
      rollupOwners,
    );
    const rollupStats = row(
      `whole roll-up: every page of /metrics and /metrics/owners, ${w.name}`,
      rollup,
      `(${rollupRows} Records, ${owners} owners)`,
    );
    const allStats = row(`reference SQL, all records, ${w.name}`, all);
    summary[w.days] = {
      apiStats,
      sqlStats,
      seriesStats,
      rollupPageStats,
      rollupOwnersStats,
      rollupStats,
      allStats,
    };
  }
  return { results, summary };
}

function report(results, summary, events, backfillSeconds) {
  const f = v => v.toFixed(1);
  const table = [
    '| measurement | requests | p50 ms | p95 ms | max ms |',
    '|---|---|---|---|---|',
    ...results.map(
      r =>
        `| ${`${r.what} ${r.extra}`.trim()} | ${r.n} | ${f(r.p50)} | ${f(
          r.p95,
        )} | ${f(r.max)} |`,
    ),
  ].join('\n');
  const lines = [];
  for (const [days, s] of Object.entries(summary)) {
    const ratio = s.apiStats.p95 / s.sqlStats.p95;
    const met = ok => (ok ? 'met' : '**not met**');
    lines.push(
      `${days}-day window: per-Record p95 **${f(
        s.apiStats.p95,
      )} ms** (target ≤ 25 ms: ${met(s.apiStats.p95 <= 25)}); ` +
        `**${ratio.toFixed(1)}×** its reference SQL's p95 (target ≤ 3×: ${met(
          ratio <= 3,
        )}); ` +
        `org roll-up p95 **${f(s.rollupStats.p95)} ms** for every page ` +
        `(target ≤ ${ROLLUP_TARGET_MS.toLocaleString(
          'en-US',
        )} ms at ${RECORDS.toLocaleString('en-US')} Records: ${met(
          s.rollupStats.p95 <= ROLLUP_TARGET_MS,
        )}), one page of 1,000 Records p95 ${f(
          s.rollupPageStats.p95,
        )} ms, the owners' page ${f(s.rollupOwnersStats.p95)} ms, ` +
        `${(s.rollupStats.p95 / s.allStats.p95).toFixed(
          1,
        )}× its reference SQL; series p95 ${f(s.seriesStats.p95)} ms.`,
    );
  }
  const output = `${table}\n\n${lines.join('\n\n')}`;
  console.log(`\n${output}\n`);

  // Runs at other sizes (BENCH_RECORDS=10000) have their own block.
  recordInDocs(
    RECORDS === 1000 ? 'metrics' : `metrics-${RECORDS}`,
    `${events.toLocaleString('en-US')} events over ${RECORDS.toLocaleString(
      'en-US',
    )} Records, sequential requests; DORA facts built from the seeded events at backend start in ${backfillSeconds.toFixed(
      0,
    )} s`,
    output,
  );
}

/** Resolves once the backend's port refuses connections. */
async function untilStopped() {
  for (let i = 0; i < 120; i++) {
    try {
      await fetch(`${BASE}/.backstage/health/v1/readiness`);
    } catch {
      return;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error('the backend did not stop');
}

/** Measures on the databases a BENCH_KEEP=1 run kept; records nothing. */
async function measureReused() {
  console.log(`Starting the backend on the kept databases ${RUN}_*...`);
  const backend = await startMetricsBackend();
  const k = db(`${RUN}_phaset`);
  try {
    const ids = Array.from({ length: RECORDS }, (_, i) => recordId(i));
    const [{ newest }] = await k('phaset_events').max({
      newest: 'occurred_at',
    });
    console.log(
      `  events up to ${new Date(
        newest,
      ).toISOString()}: windows end now, so older seeds see fewer events`,
    );
    await waitForOwners(backend.child);
    console.log('Measuring (not recorded in docs/benchmarks.md)...');
    await measure(k, ids);
  } finally {
    await k.destroy();
    backend.stop();
  }
}

async function waitForOwners(child) {
  console.log('Waiting for the catalog to know the owners...');
  const refs = Array.from(
    { length: RECORDS },
    (_, i) => `component:default/svc-${i}`,
  );
  let known = 0;
  await waitFor(
    async () => {
      // In slices: the catalog answers 1,000 references at a time quickly.
      for (; known < refs.length; known += 1000) {
        const { items } = await (
          await fetch(`${BASE}/api/catalog/entities/by-refs`, {
            method: 'POST',
            headers: { ...AUTH, 'content-type': 'application/json' },
            body: JSON.stringify({
              entityRefs: refs.slice(known, known + 1000),
            }),
          })
        ).json();
        const owned = items.every(item =>
          item?.relations?.some(r => r.type === 'ownedBy'),
        );
        if (!owned) return false;
      }
      return true;
    },
    'the catalog',
    child,
    // A catalog of 10,000 Components takes minutes to process.
    Math.max(300, RECORDS / 10),
  );
}

async function main() {
  if (REUSE) {
    await measureReused();
    return;
  }
  // Leftovers of earlier (interrupted) benchmark runs.
  await dropDatabases(`${PREFIX}metrics%`, 'leftover benchmark');
  console.log(`Starting the backend on PostgreSQL (${RUN}_*)...`);
  let backend = await startMetricsBackend();
  const k = db(`${RUN}_phaset`);
  try {
    console.log(
      `Creating ${RECORDS} Records through POST /api/phaset/records...`,
    );
    const ids = await createRecords();
    console.log(
      `Seeding ${(RECORDS * EVENTS_PER_RECORD).toLocaleString(
        'en-US',
      )} events...`,
    );
    const events = await seed(k, ids);
    console.log(
      "Restarting the backend: it builds the seeded events' DORA facts...",
    );
    backend.stop();
    await untilStopped();
    const restarted = Date.now();
    backend = await startMetricsBackend();
    const backfillSeconds = (Date.now() - restarted) / 1000;
    // The backfill analyses the fact tables it built; the Records created
    // above get what autovacuum would give them (this server runs without).
    await k.raw('ANALYZE phaset_records');
    const [{ n: facts }] = await k('phaset_dora_changes').count({ n: '*' });
    console.log(
      `  ${facts} change facts; backend ready after ${backfillSeconds.toFixed(
        0,
      )} s`,
    );
    await waitForOwners(backend.child);
    console.log('Measuring...');
    const { results, summary } = await measure(k, ids);
    report(results, summary, events, backfillSeconds);
  } finally {
    await k.destroy();
    backend.stop();
    if (process.env.BENCH_KEEP !== '1') {
      // Give the backend a moment to close its connections.
      await new Promise(r => setTimeout(r, 3000));
      await dropDatabases(`${RUN}_%`, 'benchmark');
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
