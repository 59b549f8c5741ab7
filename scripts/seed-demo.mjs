#!/usr/bin/env node
// Gives the demo Records of app-config.yaml a 90-day delivery history, sent
// through the running backend's Integration API exactly as CI and tool
// webhooks would send it: Phaset JSON events, signed GitHub webhooks, the
// repository manifest and StandardLint results. Nothing is written to a table.
//
// Idempotent: every fact has a deterministic id (commit SHA, GitHub delivery
// id, incident id, timestamp), so the backend stores a repeated delivery once;
// a manifest identical to the stored one and Standards of a Record that has
// results are not sent again. The history is laid out on absolute UTC days up
// to yesterday, so a start on a later day only adds the days since.
//
//   node scripts/seed-demo.mjs [--backend URL] [--today YYYY-MM-DD] [--wait SECONDS] [--full]
//
// Each run sends the facts from a day before the Record's newest stored event
// on (all of them with --full); the overlap comes back as duplicates.
//
// Environment: PHASET_DEMO_TOKEN (the Records' config token, default
// phaset-demo-token); PHASET_SEED_BACKSTAGE_TOKEN (a Backstage token for the
// REST reads; default: the dev setup's guest sign-in). Development only.

import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
export const HISTORY_DAYS = 90;
const ORG = 'demoorg';

/**
 * The demo Records (declared in app-config.yaml) and how each one works.
 * `github`: which facts arrive as native GitHub webhooks; the others come
 * from CI as Phaset JSON events.
 */
export const DEMO_RECORDS = [
  {
    id: 'jAkLRtjuQ9',
    entityRef: 'component:default/jaklrtjuq9',
    manifest: 'examples/phaset/payments-api/phaset.manifest.json',
    profile: 'elite',
    repo: 'phaset-demo/payments',
  },
  {
    id: 'UJFb9JHUUb',
    entityRef: 'component:default/ujfb9jhuub',
    manifest: 'examples/phaset/orders-service/phaset.manifest.json',
    profile: 'medium',
    repo: 'phaset-demo/orders-service',
  },
  {
    id: 'webshop001',
    entityRef: 'component:default/web-shop',
    manifest: 'examples/phaset/web-shop/phaset.manifest.json',
    profile: 'low',
    repo: 'phaset-demo/web-shop',
  },
  {
    // Bought, not built: a manifest and Standards, but no delivery events.
    id: 'mOjuOxvUoU',
    entityRef: 'component:default/mojuoxvuou',
    manifest: 'examples/phaset/crm-saas/phaset.manifest.json',
    profile: 'none',
    repo: 'phaset-demo/crm-integration',
  },
];

// ---------------------------------------------------------------------------
// Deterministic building blocks

const hash = (...parts) =>
  createHash('sha256').update(parts.join(':')).digest('hex');
const sha = (...parts) => hash('commit', ...parts).slice(0, 40);
const number = (...parts) => parseInt(hash('n', ...parts).slice(0, 8), 16);
/** A GUID-shaped delivery id, as GitHub sends in X-GitHub-Delivery. */
const deliveryId = (...parts) => {
  const h = hash('delivery', ...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
};
/** Deterministic value in [min, max] for this key. */
const between = (min, max, ...parts) =>
  min + (number(...parts) % (max - min + 1));
const iso = ms => new Date(ms).toISOString();
const unix = ms => String(Math.floor(ms / 1000));
/** 0 = Sunday, as Date#getUTCDay; day 0 (1970-01-01) was a Thursday. */
const weekday = day => (day + 4) % 7;
const isWeekday = day => weekday(day) >= 1 && weekday(day) <= 5;
/** Patterns repeat every four weeks, so any month-long window looks alike. */
const cycleDay = day => ((day % 28) + 28) % 28;

// ---------------------------------------------------------------------------
// Facts: what happened, independent of how it is reported

/**
 * Builds the facts of one Record for the days [firstDay, lastDay] (UTC day
 * numbers): changes, pull requests with reviews, deployments (production,
 * failed, staging) and incidents. Facts after `until` are left out.
 */
export function planFacts(record, firstDay, lastDay, until) {
  const facts = [];
  const add = fact => {
    if (fact.at < until) {
      facts.push(fact);
    }
  };
  const id = record.id;
  const planners = { elite, medium, low, none: () => {} };
  for (let day = firstDay; day <= lastDay; day++) {
    planners[record.profile](day, day * DAY);
  }
  return facts.sort((a, b) => a.at - b.at);

  /** A pull request whose commits are pushed, reviewed and merged. */
  function pullRequest(key, opts) {
    const prNumber = 100 + (number(id, 'pr', key) % 9000);
    const commits = opts.commitTimes.map((at, i) => ({
      sha: sha(id, key, i),
      at,
    }));
    add({
      type: 'push',
      at: commits[commits.length - 1].at,
      key,
      branch: opts.branch,
      commits,
    });
    add({
      type: 'pr-opened',
      at: opts.openedAt,
      key,
      prNumber,
      title: opts.title,
      additions: opts.additions,
      deletions: opts.deletions,
      changedFiles: opts.changedFiles,
    });
    for (const [i, review] of opts.reviews.entries()) {
      add({
        type: 'review',
        at: review.at,
        key: `${key}:${i}`,
        prKey: key,
        prNumber,
        state: review.state,
        openedAt: opts.openedAt,
      });
    }
    add({
      type: opts.closedUnmerged ? 'pr-closed' : 'pr-merged',
      at: opts.closedAt,
      key,
      prNumber,
      title: opts.title,
      openedAt: opts.openedAt,
    });
    return commits[commits.length - 1].sha;
  }

  /** Reviews asking for changes, then approving, hours after opening. */
  function changesThenApproval(key, openedAt, changesHours, approvalHours) {
    return [
      {
        state: 'changes_requested',
        at: openedAt + between(...changesHours, id, key, 'r1') * HOUR,
      },
      {
        state: 'approved',
        at: openedAt + between(...approvalHours, id, key, 'r2') * HOUR,
      },
    ];
  }

  function deployment(key, at, commitSha, environment, result) {
    add({
      type: 'deployment',
      at,
      key: `${key}:${environment}`,
      commitSha,
      environment,
      result,
    });
  }

  function incident(key, openedAt, resolvedAt, title) {
    add({ type: 'incident-opened', at: openedAt, key, title, openedAt });
    add({
      type: 'incident-resolved',
      at: resolvedAt,
      key,
      title,
      openedAt,
      resolvedAt,
    });
  }

  // Elite: small PRs merged and deployed twice every weekday, a few hours
  // from commit to production; one short incident every four weeks.
  function elite(day, start) {
    if (!isWeekday(day)) {
      return;
    }
    for (const [slot, deployAt] of [
      [0, start + 10 * HOUR + 30 * MINUTE],
      [1, start + 15 * HOUR + 30 * MINUTE],
    ]) {
      const key = `${day}:${slot}`;
      const openedAt = deployAt - between(150, 300, id, key, 'open') * MINUTE;
      const head = pullRequest(key, {
        branch: `feature/pay-${number(id, key) % 1000}`,
        title: ELITE_TITLES[number(id, key, 't') % ELITE_TITLES.length],
        commitTimes: [openedAt - 40 * MINUTE, openedAt - 5 * MINUTE],
        openedAt,
        additions: between(12, 140, id, key, 'a'),
        deletions: between(2, 60, id, key, 'd'),
        changedFiles: between(1, 6, id, key, 'f'),
        reviews: [
          {
            state: 'approved',
            at: openedAt + between(20, 70, id, key, 'r') * MINUTE,
          },
        ],
        closedAt: deployAt - 20 * MINUTE,
      });
      deployment(key, deployAt - 10 * MINUTE, head, 'staging', 'success');
      // A pipeline that fails twice every four weeks and is re-run.
      if (slot === 0 && [4, 18].includes(cycleDay(day))) {
        deployment(
          `${key}:failed`,
          deployAt - 5 * MINUTE,
          head,
          'production',
          'failure',
        );
      }
      deployment(key, deployAt, head, 'production', 'success');
      if (slot === 1 && cycleDay(day) === 1) {
        incident(
          key,
          deployAt + 15 * MINUTE,
          deployAt + 45 * MINUTE,
          'Card payments time out for some issuers',
        );
      }
    }
  }

  // Medium: a release train every nine or so days (three deploys on the
  // day), work committed right after the previous release; one incident
  // every four weeks, fixed within days.
  function medium(day, start) {
    const releases = [5, 14, 22];
    const index = releases.indexOf(cycleDay(day));
    if (index < 0) {
      return;
    }
    const previous = index === 0 ? releases[2] - 28 : releases[index - 1];
    const lastRelease = start - (cycleDay(day) - previous) * DAY + 16 * HOUR;
    const changes = [];
    for (let n = 0; n < 3; n++) {
      const key = `${day}:${n}`;
      const first = lastRelease + between(2, 10, id, key, 'c') * HOUR;
      const openedAt = first + 4 * HOUR;
      changes.push(
        pullRequest(key, {
          branch: `feature/orders-${number(id, key) % 1000}`,
          title: MEDIUM_TITLES[number(id, key, 't') % MEDIUM_TITLES.length],
          commitTimes: [first, first + 2 * HOUR, first + 3 * HOUR],
          openedAt,
          additions: between(120, 520, id, key, 'a'),
          deletions: between(30, 200, id, key, 'd'),
          changedFiles: between(4, 18, id, key, 'f'),
          reviews: changesThenApproval(key, openedAt, [20, 30], [40, 60]),
          closedAt: start + 8 * HOUR + n * 20 * MINUTE,
        }),
      );
    }
    const head = changes[changes.length - 1];
    deployment(`${day}:staging`, start + 9 * HOUR, head, 'staging', 'success');
    deployment(
      `${day}:failed`,
      start + 9 * HOUR + 40 * MINUTE,
      head,
      'production',
      'failure',
    );
    for (const hour of [10, 13, 16]) {
      deployment(
        `${day}:${hour}`,
        start + hour * HOUR,
        head,
        'production',
        'success',
      );
    }
    if (index === 1) {
      const openedAt = start + 10 * HOUR + 30 * MINUTE;
      incident(
        `${day}`,
        openedAt,
        openedAt + between(40, 60, id, day, 'fix') * HOUR,
        'Orders stuck in "reserved" after stock sync',
      );
    }
  }

  // Low: one big release every four weeks that breaks something each time,
  // work waiting weeks for it, long reviews and long incidents.
  function low(day, start) {
    const c = cycleDay(day);
    if (isWeekday(day) && c % 3 === 0 && (c >= 12 || c <= 2)) {
      // Work committed after a release waits weeks for the next one.
      const key = `${day}`;
      const first = start + between(9, 16, id, key, 'c') * HOUR;
      const openedAt = first + 2 * HOUR;
      const closedUnmerged = number(id, key, 'abandon') % 5 === 0;
      pullRequest(key, {
        branch: `feature/shop-${number(id, key) % 1000}`,
        title: LOW_TITLES[number(id, key, 't') % LOW_TITLES.length],
        commitTimes: [first, first + HOUR],
        openedAt,
        additions: between(400, 1900, id, key, 'a'),
        deletions: between(100, 900, id, key, 'd'),
        changedFiles: between(15, 60, id, key, 'f'),
        reviews: changesThenApproval(key, openedAt, [60, 100], [130, 170]),
        closedAt: openedAt + between(180, 220, id, key, 'm') * HOUR,
        closedUnmerged,
      });
    }
    if (c === 10) {
      // The release ships whatever is merged; its head is the release commit.
      const head = sha(id, `release:${day}`);
      add({
        type: 'push',
        at: start + 8 * HOUR,
        key: `release:${day}`,
        branch: 'main',
        commits: [{ sha: head, at: start + 8 * HOUR }],
      });
      deployment(
        `${day}:staging`,
        start + 9 * HOUR,
        head,
        'staging',
        'success',
      );
      deployment(
        `${day}:failed1`,
        start + 11 * HOUR,
        head,
        'production',
        'failure',
      );
      deployment(
        `${day}:failed2`,
        start + 13 * HOUR,
        head,
        'production',
        'failure',
      );
      deployment(`${day}`, start + 15 * HOUR, head, 'production', 'success');
      incident(
        `${day}`,
        start + DAY + 9 * HOUR,
        start + 10 * DAY + 14 * HOUR,
        'Checkout page fails on Safari after the release',
      );
    }
  }
}

const ELITE_TITLES = [
  'Retry idempotent refunds on provider timeouts',
  'Add issuer to the charge metrics',
  'Bump provider SDK',
  'Validate currency before charging',
  'Log declined reasons without card data',
  'Faster lookup of saved payment methods',
];
const MEDIUM_TITLES = [
  'Reserve stock in one transaction',
  'Split order confirmation e-mail',
  'Move pricing rules to the rules engine',
  'Handle partial refunds',
];
const LOW_TITLES = [
  'Rewrite the cart in the new framework',
  'Upgrade the build toolchain',
  'New product listing page',
  'Merge the mobile and desktop templates',
];

// ---------------------------------------------------------------------------
// Deliveries: each fact as CI or the tool would send it

const repository = record => ({
  id: number(record.repo),
  full_name: record.repo,
  html_url: `https://github.com/${record.repo}`,
});

/** The GitHub webhook delivery (event name, body) of a fact. */
function githubDelivery(record, fact) {
  const repo = repository(record);
  const sender = { login: 'demo-bot', id: 1 };
  switch (fact.type) {
    case 'push':
      return [
        'push',
        {
          ref: `refs/heads/${fact.branch}`,
          before: '0'.repeat(40),
          after: fact.commits[fact.commits.length - 1].sha,
          created: false,
          deleted: false,
          commits: fact.commits.map(c => ({
            id: c.sha,
            url: `${repo.html_url}/commit/${c.sha}`,
            message: `Work on ${fact.branch}`,
            timestamp: iso(c.at),
            author: { name: 'Demo Developer', email: 'dev@example.com' },
          })),
          repository: repo,
          sender,
        },
      ];
    case 'pr-opened':
    case 'pr-merged':
    case 'pr-closed': {
      const merged = fact.type === 'pr-merged';
      const closed = fact.type !== 'pr-opened';
      return [
        'pull_request',
        {
          action: closed ? 'closed' : 'opened',
          number: fact.prNumber,
          pull_request: {
            id: number(record.id, 'pr-id', fact.key),
            number: fact.prNumber,
            html_url: `${repo.html_url}/pull/${fact.prNumber}`,
            title: fact.title,
            state: closed ? 'closed' : 'open',
            created_at: iso(fact.openedAt ?? fact.at),
            merged,
            merged_at: merged ? iso(fact.at) : null,
            closed_at: closed ? iso(fact.at) : null,
            ...(fact.type === 'pr-opened'
              ? {
                  additions: fact.additions,
                  deletions: fact.deletions,
                  changed_files: fact.changedFiles,
                }
              : {}),
          },
          repository: repo,
          sender,
        },
      ];
    }
    case 'review':
      return [
        'pull_request_review',
        {
          action: 'submitted',
          review: {
            id: number(record.id, 'review', fact.key),
            state: fact.state,
            submitted_at: iso(fact.at),
            user: { login: 'reviewer' },
          },
          pull_request: {
            id: number(record.id, 'pr-id', fact.prKey),
            number: fact.prNumber,
            html_url: `${repo.html_url}/pull/${fact.prNumber}`,
            created_at: iso(fact.openedAt),
          },
          repository: repo,
          sender,
        },
      ];
    case 'deployment': {
      const deploymentId = number(record.id, 'deployment', fact.key);
      return [
        'deployment_status',
        {
          action: 'created',
          deployment_status: {
            id: number(record.id, 'status', fact.key, fact.result),
            state: fact.result,
            environment: fact.environment,
            // The workflow run that deployed, as GitHub Actions reports it.
            target_url: `${repo.html_url}/actions/runs/${deploymentId}`,
            log_url: `${repo.html_url}/actions/runs/${deploymentId}`,
            created_at: iso(fact.at),
          },
          deployment: {
            id: deploymentId,
            sha: fact.commitSha,
            ref: 'main',
            environment: fact.environment,
            created_at: iso(fact.at - 5 * MINUTE),
          },
          repository: repo,
          sender,
        },
      ];
    }
    case 'incident-opened':
    case 'incident-resolved': {
      const resolved = fact.type === 'incident-resolved';
      return [
        'issues',
        {
          action: resolved ? 'closed' : 'opened',
          issue: {
            id: number(record.id, 'issue', fact.key),
            number: 1000 + (number(record.id, 'issue', fact.key) % 9000),
            html_url: `${repo.html_url}/issues/${
              1000 + (number(record.id, 'issue', fact.key) % 9000)
            }`,
            title: fact.title,
            state: resolved ? 'closed' : 'open',
            labels: [{ name: 'incident' }, { name: 'sev2' }],
            created_at: iso(fact.openedAt),
            updated_at: iso(fact.at),
            closed_at: resolved ? iso(fact.at) : null,
          },
          repository: repo,
          sender,
        },
      ];
    }
    default:
      throw new Error(`No GitHub delivery for ${fact.type}`);
  }
}

/** The Phaset JSON event CI sends for a fact (one per change of a push). */
function phasetEvents(record, fact) {
  switch (fact.type) {
    case 'push':
      return fact.commits.map(c => ({
        event: 'change',
        commitSha: c.sha,
        timestamp: unix(c.at),
      }));
    case 'deployment':
      return [
        {
          event: 'deployment',
          commitSha: fact.commitSha,
          timestamp: unix(fact.at),
        },
      ];
    case 'incident-opened':
      return [
        {
          event: 'incident-opened',
          id: `${record.id}-${fact.key}`,
          createdAt: unix(fact.openedAt),
        },
      ];
    case 'incident-resolved':
      return [
        {
          event: 'incident-resolved',
          id: `${record.id}-${fact.key}`,
          createdAt: unix(fact.openedAt),
          resolvedAt: unix(fact.resolvedAt),
        },
      ];
    default:
      throw new Error(`No Phaset event for ${fact.type}`);
  }
}

/**
 * How a Record's facts travel: the elite team has wired GitHub webhooks for
 * everything; the others send changes, production deployments and incidents
 * from CI as Phaset events, and GitHub reports pull requests, reviews, staging
 * and failed deployments.
 */
function viaGithub(record, fact) {
  if (record.profile === 'elite') {
    return true;
  }
  if (fact.type === 'deployment') {
    return !(fact.environment === 'production' && fact.result === 'success');
  }
  return !['push', 'incident-opened', 'incident-resolved'].includes(fact.type);
}

// ---------------------------------------------------------------------------
// HTTP

class Backend {
  constructor(baseUrl, options) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.api = `${this.baseUrl}/api/phaset`;
    this.demoToken = options.demoToken;
    this.backstageToken = options.backstageToken;
    this.log = options.log;
  }

  async waitUntilReady(seconds) {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      try {
        const res = await fetch(
          `${this.baseUrl}/.backstage/health/v1/readiness`,
        );
        if (res.ok) {
          return;
        }
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`${this.baseUrl} was not ready within ${seconds} s`);
      }
      await sleep(2000);
    }
  }

  async signIn() {
    if (this.backstageToken) {
      return;
    }
    const res = await fetch(`${this.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    if (!res.ok) {
      throw new Error(
        `Guest sign-in failed (${res.status}); set PHASET_SEED_BACKSTAGE_TOKEN`,
      );
    }
    this.backstageToken = (await res.json()).backstageIdentity.token;
  }

  /** A Backstage-authenticated REST call; JSON answer. */
  async rest(method, pathname, body) {
    const res = await fetch(`${this.api}${pathname}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.backstageToken}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) {
      throw Object.assign(
        new Error(`${method} ${pathname}: ${res.status} ${await res.text()}`),
        { status: res.status },
      );
    }
    return res.json();
  }

  /** Every item of a paged list (`{items, nextCursor}`), 1,000 at a time. */
  async restAll(pathname) {
    const items = [];
    let cursor;
    do {
      const query = new URLSearchParams({ limit: '1000' });
      if (cursor) query.set('cursor', cursor);
      const page = await this.rest('GET', `${pathname}?${query}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  /** POSTs like CI or a tool, waiting out the per-Record rate limit. */
  async post(url, body, headers = {}) {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
      });
      // 429: the Record's rate limit; 503: the backend is starting or stopping.
      if ((res.status === 429 || res.status === 503) && attempt < 60) {
        await sleep(2000);
        continue;
      }
      const text = await res.text();
      if (!res.ok) {
        throw new Error(
          `POST ${new URL(url).pathname.replace(/[^/]+$/, '…')}: ${
            res.status
          } ${text}`,
        );
      }
      return text ? JSON.parse(text) : {};
    }
  }

  integrationUrl(kind, recordId) {
    return `${this.api}/integration/${kind}/${ORG}/${recordId}/${this.demoToken}`;
  }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * A GitHub webhook generated for the Record (named `github-demo`), whose
 * signing secret signs every delivery. Its secret is shown only once, so on
 * later runs GitHub payloads go through the config token instead (unsigned,
 * as a `ci` token accepts every format); repeats are duplicates either way.
 * So do they when the permission policy lets the seed's user not manage the
 * Record's webhooks (the dev guest owns none of the team Records).
 */
async function githubSender(backend, record) {
  let items;
  try {
    ({ items } = await backend.rest('GET', `/records/${record.id}/webhooks`));
  } catch (error) {
    if (error.status !== 403) {
      throw error;
    }
  }
  let url = backend.integrationUrl('event', record.id);
  let secret;
  if (items && !items.some(w => w.name === 'github-demo')) {
    const created = await backend.rest(
      'POST',
      `/records/${record.id}/webhooks`,
      {
        name: 'github-demo',
        source: 'github',
      },
    );
    // The webhook's path on this backend, whatever base URL it advertises.
    url = `${backend.api}${new URL(created.url).pathname.replace(
      /^.*\/api\/phaset/,
      '',
    )}`;
    secret = created.signingSecret;
  }
  return async (fact, event, payload) => {
    const body = JSON.stringify(payload);
    const headers = {
      'X-GitHub-Event': event,
      'X-GitHub-Delivery': deliveryId(record.id, fact.type, fact.key),
      'User-Agent': 'GitHub-Hookshot/demo',
    };
    if (secret) {
      headers['X-Hub-Signature-256'] = `sha256=${createHmac('sha256', secret)
        .update(body)
        .digest('hex')}`;
    }
    return backend.post(url, body, headers);
  };
}

const STANDARDS = {
  // Checks of the `default` Baseline in app-config.yaml, from worse to now.
  elite: [{ warn: ['checkForPresenceSecurity'] }, {}],
  medium: [
    { fail: ['checkForPresenceLicense'], warn: ['checkForPresenceSecurity'] },
    { warn: ['checkForPresenceSecurity'] },
  ],
  low: [
    {
      fail: ['checkForPresenceLicense', 'checkForConflictingLockfiles'],
      warn: ['checkForPresenceChangelog', 'checkForPresenceSecurity'],
    },
    {
      fail: ['checkForConflictingLockfiles'],
      warn: ['checkForPresenceChangelog', 'checkForPresenceSecurity'],
    },
  ],
  none: [{ warn: ['checkForPresenceChangelog'] }],
};

/**
 * How each team answers its Review (question i of the template): the elite
 * team yes throughout; the medium one yes, partly and no in turn; the low
 * one no but for a partly on every sixth question. With their Standards and
 * manifests that grades them A, C and F; the bought SaaS has no Review (F).
 */
const REVIEW_ANSWER = {
  elite: () => 'yes',
  medium: i => ['yes', 'partly', 'no'][i % 3],
  low: i => (i % 6 === 0 ? 'partly' : 'no'),
};

/**
 * Fills in the Record's first Review through the API, as its team would, so
 * that the demo Records get different grades; an existing Review is kept.
 */
async function seedReview(backend, record, template) {
  const answer = REVIEW_ANSWER[record.profile];
  if (!answer) return undefined;
  try {
    await backend.rest('GET', `/records/${record.id}/reviews/latest`);
    return undefined;
  } catch (error) {
    if (error.status !== 404) throw error;
  }
  try {
    const review = await backend.rest('POST', `/records/${record.id}/reviews`, {
      answers: template.questions.map((q, i) => ({
        questionId: q.id,
        value: answer(i),
        ...(answer(i) === 'no' && i % 2 === 0 && { prioritised: true }),
      })),
    });
    return review.score;
  } catch (error) {
    // A policy may let the seed's user review only what it owns.
    if (error.status === 403) return undefined;
    throw error;
  }
}

const CHECKS = {
  checkForPresenceReadme: ['README.md', 'Found README.md', 'Missing README.md'],
  checkForPresenceLicense: [
    'LICENSE.md',
    'Found LICENSE.md',
    'Missing LICENSE.md',
  ],
  checkForPresenceChangelog: [
    'CHANGELOG.md',
    'Found CHANGELOG.md',
    'Missing CHANGELOG.md',
  ],
  checkForPresenceSecurity: [
    'SECURITY.md',
    'Found SECURITY.md',
    'Missing SECURITY.md',
  ],
  checkForConflictingLockfiles: [
    '.',
    'No conflicting lock files',
    'Found both package-lock.json and yarn.lock',
  ],
};

/** StandardLint's output (`standardlint.results.json`) for these outcomes. */
export function standardLintResult(outcome) {
  const results = Object.entries(CHECKS).map(([name, [file, ok, bad]]) => {
    const status = outcome.fail?.includes(name)
      ? 'fail'
      : outcome.warn?.includes(name)
      ? 'warn'
      : 'pass';
    return { name, status, message: status === 'pass' ? ok : bad, path: file };
  });
  const count = status => results.filter(r => r.status === status).length;
  return {
    passes: count('pass'),
    warnings: count('warn'),
    failures: count('fail'),
    results,
  };
}

/** Sends one Record's manifest, Standards and history; returns counts. */
async function seedRecord(backend, record, { firstDay, lastDay, until, full }) {
  const summary = { record: record.id, accepted: 0, duplicates: 0, ignored: 0 };

  const stored = await backend.rest('GET', `/records/${record.id}`);
  const manifest = await readFile(path.join(ROOT, record.manifest), 'utf8');
  if (stored.manifestRaw !== manifest) {
    await backend.post(backend.integrationUrl('record', record.id), manifest);
    summary.manifest = 'pushed';
  }

  const { history } = await backend.rest(
    'GET',
    `/records/${record.id}/standards`,
  );
  if (!history.length) {
    for (const outcome of STANDARDS[record.profile]) {
      await backend.post(
        backend.integrationUrl('standards', record.id),
        JSON.stringify(standardLintResult(outcome)),
      );
    }
    summary.standards = STANDARDS[record.profile].length;
  }
  const reviewScore = await seedReview(
    backend,
    record,
    await backend.rest('GET', '/reviews/template'),
  );
  if (reviewScore !== undefined) summary.review = Math.round(reviewScore);

  // Facts are sent oldest first, so everything before the newest stored
  // event arrived on an earlier run; resend a day of overlap (duplicates).
  let since = -Infinity;
  if (!full) {
    const items = await backend.restAll(`/records/${record.id}/events`);
    const newest = Math.max(
      ...items.map(e => Date.parse(e.occurred_at ?? e.occurredAt ?? '')),
    );
    if (Number.isFinite(newest)) {
      since = newest - DAY;
    }
  }
  const facts = planFacts(record, firstDay, lastDay, until).filter(
    fact => fact.at >= since,
  );
  if (!facts.length) {
    return summary;
  }
  const sendGithub = await githubSender(backend, record);
  const count = answer => {
    summary.accepted += answer.accepted ?? 0;
    summary.duplicates += answer.duplicates ?? 0;
    summary.ignored += answer.ignored ? 1 : 0;
  };
  for (const fact of facts) {
    if (viaGithub(record, fact)) {
      const [event, payload] = githubDelivery(record, fact);
      count(await sendGithub(fact, event, payload));
    } else {
      for (const event of phasetEvents(record, fact)) {
        count(
          await backend.post(
            backend.integrationUrl('event', record.id),
            JSON.stringify(event),
          ),
        );
      }
    }
  }
  return summary;
}

/**
 * Seeds every demo Record in parallel (the rate limit is per Record).
 * `today` is the UTC day (YYYY-MM-DD) the history ends before.
 */
export async function seedDemo({
  backendUrl,
  demoToken,
  backstageToken,
  today,
  full = false,
  waitSeconds = 600,
  log = console.log,
}) {
  const backend = new Backend(backendUrl, { demoToken, backstageToken, log });
  await backend.waitUntilReady(waitSeconds);
  await backend.signIn();
  const todayDay = Math.floor(
    (today ? Date.parse(`${today}T00:00:00Z`) : Date.now()) / DAY,
  );
  const range = {
    firstDay: todayDay - HISTORY_DAYS,
    lastDay: todayDay - 1,
    until: todayDay * DAY,
    full,
  };
  const summaries = await Promise.all(
    DEMO_RECORDS.map(record => seedRecord(backend, record, range)),
  );
  for (const s of summaries) {
    log(
      `phaset demo: ${s.record}: ${s.accepted} events accepted, ${s.duplicates} duplicates, ${s.ignored} ignored` +
        (s.manifest ? ', manifest pushed' : '') +
        (s.standards ? `, ${s.standards} Standards result(s)` : '') +
        (s.review !== undefined ? `, a Review (${s.review} / 100)` : ''),
    );
  }
  return summaries;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'http://localhost:7007' },
      today: { type: 'string' },
      wait: { type: 'string', default: '600' },
      full: { type: 'boolean', default: false },
    },
  });
  seedDemo({
    backendUrl: values.backend,
    demoToken: process.env.PHASET_DEMO_TOKEN || 'phaset-demo-token',
    backstageToken: process.env.PHASET_SEED_BACKSTAGE_TOKEN,
    today: values.today,
    full: values.full,
    waitSeconds: Number(values.wait),
  }).catch(error => {
    console.error(`phaset demo: seeding failed: ${error.message}`);
    process.exitCode = 1;
  });
}
