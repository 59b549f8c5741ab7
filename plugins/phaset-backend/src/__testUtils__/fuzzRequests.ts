import { createHmac } from 'crypto';
import { allFixtures, fixtureHeaders, rawFixture } from './events';
import { seedManifest, standardLintOutput } from './fixtures';
import { RawRequest } from './httpClient';

/** Deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T =>
      items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
    hex: (length: number) =>
      Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join(
        '',
      ),
  };
}

export type Random = ReturnType<typeof seededRandom>;

/** What the fuzz may use: a playground Record it may change, and Records it must not. */
export type FuzzTargets = {
  organization: string;
  playground: {
    id: string;
    /** `ci` token, accepted for every format. */
    ciToken: string;
    /** Generated webhooks of the playground, by source. */
    webhooks: Record<string, { token: string; signingSecret?: string }>;
  };
  /** Records whose stored data must come out of the fuzz unchanged. */
  protectedIds: string[];
};

/** Strings that broke or could break storage, lookups or parsers. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'x'.repeat(65),
  'x'.repeat(256),
  'x'.repeat(1001),
  'y'.repeat(8000),
  '__proto__',
  'constructor',
  'valueOf',
  'toString',
  'hasOwnProperty',
  '\ud800',
  '💥'.repeat(200),
  '../../etc/passwd',
  "'; DROP TABLE phaset_records; --",
  '2030-02-30T25:61:00Z',
  '-1',
  '9007199254740991',
  '1e400',
  'NaN',
];

const NASTY_VALUES: unknown[] = [
  ...NASTY_STRINGS,
  null,
  true,
  false,
  0,
  -1,
  0.5,
  2147483648,
  -2147483649,
  9007199254740991,
  -9007199254740991,
  1e308,
  [],
  {},
  [1, 'a', null],
  { nested: { deeper: ['x'] } },
];

/** Header values Node lets a client send (no control characters). */
const NASTY_HEADER_VALUES = [
  '',
  '__proto__',
  'constructor',
  'toString',
  'x'.repeat(2000),
  'Unknown Hook',
  'pullrequest:__proto__',
];

/** Percent-encoded path segments, some deliberately malformed. */
const NASTY_SEGMENTS = [
  '%00',
  'a%00b',
  'demo%00record',
  '%FF',
  '%E0%A4%A',
  '%',
  '%2F',
  '..',
  '__proto__',
  'constructor',
  'valueOf',
  'x'.repeat(300),
  'z'.repeat(8000),
  '%F0%9F%92%A5',
  '0123456789',
  'AAAAAAAAAA',
  '%20',
  'null',
];

const SERIES_METRICS = [
  'deployments',
  'leadTimeForChanges',
  'changeFailureRate',
  'failedDeploymentRecoveryTime',
  'timeToRestore',
];

/** Returns the JSON value with one place changed (replaced, removed or added). */
export function mutateJson(value: unknown, random: Random, depth = 0): unknown {
  const container =
    value !== null && typeof value === 'object' && depth < 8
      ? value
      : undefined;
  if (!container || random.chance(0.15)) {
    return random.pick(NASTY_VALUES);
  }
  if (Array.isArray(container)) {
    if (container.length === 0 || random.chance(0.1)) {
      return [...container, random.pick(NASTY_VALUES)];
    }
    const index = random.int(container.length);
    const copy = [...container];
    copy[index] = mutateJson(copy[index], random, depth + 1);
    return copy;
  }
  const record = container as Record<string, unknown>;
  const keys = Object.keys(record);
  const copy: Record<string, unknown> = { ...record };
  if (keys.length === 0 || random.chance(0.1)) {
    copy[random.pick(NASTY_STRINGS)] = random.pick(NASTY_VALUES);
    return copy;
  }
  const key = random.pick(keys);
  if (random.chance(0.1)) {
    delete copy[key];
  } else {
    copy[key] = mutateJson(copy[key], random, depth + 1);
  }
  return copy;
}

/** A JSON body with 1-3 mutations, or a body that is not JSON at all. */
function mutatedBody(template: unknown, random: Random): string {
  const roll = random.next();
  if (roll < 0.06) {
    return random.pick([
      '',
      '{',
      'null',
      '[]',
      '"text"',
      '{"a":1}{"b":2}',
      '\u0000',
      '{"event":"change","commitSha":"ab\u0000cd"}',
      '['.repeat(5000) + ']'.repeat(5000),
      `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
      'event=change&commitSha=abc',
    ]);
  }
  let body = template;
  const mutations = 1 + random.int(3);
  for (let i = 0; i < mutations; i++) {
    body = mutateJson(body, random);
  }
  return JSON.stringify(body);
}

/** Percent-encodes any string, lone surrogates included (as U+FFFD). */
function enc(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text, 'utf8')]
      .map(byte => `%${byte.toString(16).padStart(2, '0')}`)
      .join('');
  }
}

function segment(value: string, random: Random, mutate: boolean): string {
  return mutate && random.chance(0.5)
    ? random.pick(NASTY_SEGMENTS)
    : enc(value);
}

/** A Phaset JSON event of each kind, timestamps in Unix seconds. */
function phasetEvents(random: Random): Record<string, unknown> {
  const t = String(1_700_000_000 + random.int(10_000_000));
  const sha = random.hex(40);
  return random.pick([
    { event: 'change', commitSha: sha, timestamp: t },
    { event: 'deployment', commitSha: sha, timestamp: t },
    { event: 'incident-opened', id: `INC-${random.int(1000)}`, createdAt: t },
    {
      event: 'incident-resolved',
      id: `INC-${random.int(1000)}`,
      createdAt: t,
      resolvedAt: String(Number(t) + 60),
    },
    { event: 'comment' },
    { event: 'review-approved', createdAt: t, submittedAt: t },
    { event: 'review-changes', createdAt: t, submittedAt: t },
    { event: 'pr-opened', additions: 10, deletions: 2, changedFiles: 1 },
    { event: 'pr-closed', createdAt: t, closedAt: t },
    { event: 'pr-merged', createdAt: t, mergedAt: t },
  ]);
}

const DEVLAKE_DEPLOYMENT = {
  environment: 'PRODUCTION',
  repo_url: 'https://github.com/apache/incubator-devlake/',
  commit_sha: '015e3d3b480e417aede5a1293bd61de9b0fd051d',
  start_time: '2020-01-01T12:00:00+00:00',
  end_time: '2020-01-02T13:00:00+00:00',
  result: 'SUCCESS',
  deploymentCommits: [{ repo_url: 'repo-1', commit_sha: 'c1' }],
};

const DEVLAKE_ISSUE = {
  issue_key: 'DLK-1234',
  title: 'incident',
  type: 'INCIDENT',
  status: 'TODO',
  created_date: '2020-01-01T12:00:00+00:00',
};

function signatureHeaders(
  source: string,
  secret: string,
  body: string,
): Record<string, string> {
  const hex = createHmac('sha256', secret).update(body).digest('hex');
  switch (source) {
    case 'github':
      return { 'x-hub-signature-256': `sha256=${hex}` };
    case 'bitbucket':
    case 'jira':
      return { 'x-hub-signature': `sha256=${hex}` };
    case 'linear':
      return { 'linear-signature': hex };
    case 'gitlab':
      return { 'x-gitlab-token': secret };
    case 'azure-devops':
      return { 'x-azure-token': secret };
    default:
      return {};
  }
}

export type FuzzCase = RawRequest & { family: string };

/**
 * Builds the `index`-th request of a fuzz run: a valid request of one route
 * family with one to three things changed (path segment, body field, query
 * parameter, header or token).
 */
export function fuzzRequest(targets: FuzzTargets, random: Random): FuzzCase {
  const { organization, playground } = targets;
  const json = { 'content-type': 'application/json' };
  const mutatePath = random.chance(0.25);
  // Most integration requests carry the playground's real token, so that
  // validation behind authentication is reached.
  const integrationAuth = () => {
    const roll = random.next();
    if (roll < 0.75) {
      return { recordId: playground.id, token: playground.ciToken };
    }
    if (roll < 0.9) {
      return {
        recordId: random.pick(targets.protectedIds),
        token: random.pick(['wrong-token', playground.ciToken]),
      };
    }
    return { recordId: playground.id, token: `phs_${random.hex(43)}` };
  };
  const integrationPath = (route: string, extra: string[] = []) => {
    const { recordId, token } = integrationAuth();
    const org = random.chance(0.95) ? organization : 'otherorg';
    return `/api/phaset/integration/${route}/${[
      segment(org, random, mutatePath),
      ...extra.map(e => segment(e, random, mutatePath)),
      segment(recordId, random, mutatePath),
      segment(token, random, mutatePath),
    ].join('/')}`;
  };
  // REST writes only touch the playground or ids that do not exist.
  const restId = () =>
    mutatePath
      ? random.pick(NASTY_SEGMENTS)
      : random.pick([playground.id, playground.id, 'nonexist01']);
  const readId = () =>
    mutatePath
      ? random.pick(NASTY_SEGMENTS)
      : random.pick([playground.id, ...targets.protectedIds]);
  const query = (params: Record<string, unknown>) => {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(params)) {
      if (random.chance(0.2)) {
        continue;
      }
      const v = random.chance(0.3) ? random.pick(NASTY_VALUES) : value;
      const text = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
      parts.push(`${enc(key)}=${enc(text)}`);
      if (random.chance(0.05)) {
        parts.push(`${enc(key)}=${enc(text)}`); // given twice
      }
      if (random.chance(0.05)) {
        parts.push(`${enc(key)}[a]=1`); // parsed as an object
      }
    }
    return parts.length ? `?${parts.join('&')}` : '';
  };

  const families: Array<() => FuzzCase> = [
    () => ({
      family: 'integration record',
      method: 'POST',
      path: integrationPath('record'),
      headers: json,
      body: mutatedBody(seedManifest(), random),
    }),
    () => ({
      family: 'integration standards',
      method: 'POST',
      path: integrationPath('standards'),
      headers: json,
      body: mutatedBody(standardLintOutput(), random),
    }),
    () => ({
      family: 'integration baselines',
      method: 'GET',
      path: integrationPath('baselines', [
        random.pick(['default', 'strict', 'nope']),
      ]),
    }),
    () => ({
      family: 'integration event (Phaset JSON)',
      method: 'POST',
      path: integrationPath('event'),
      headers: json,
      body: mutatedBody(phasetEvents(random), random),
    }),
    () => {
      const [tool, file] = random.pick(allFixtures());
      const body = random.chance(0.8)
        ? mutatedBody(JSON.parse(rawFixture(tool, file)), random)
        : rawFixture(tool, file);
      const headers: Record<string, string> = {
        ...json,
        ...Object.fromEntries(
          Object.entries(fixtureHeaders(tool, file, random.hex(32))).map(
            ([k, v]) => [
              k.toLowerCase(),
              random.chance(0.1) ? random.pick(NASTY_HEADER_VALUES) : v,
            ],
          ),
        ),
      };
      const webhook = playground.webhooks[tool];
      if (webhook && random.chance(0.5)) {
        // The tool's own webhook, signed as the tool signs.
        const path = `/api/phaset/integration/event/${organization}/${playground.id}/${webhook.token}`;
        Object.assign(
          headers,
          webhook.signingSecret
            ? signatureHeaders(tool, webhook.signingSecret, body)
            : {},
        );
        return {
          family: `integration event (${tool})`,
          method: 'POST',
          path,
          headers,
          body,
        };
      }
      return {
        family: `integration event (${tool})`,
        method: 'POST',
        path: integrationPath('event'),
        headers,
        body,
      };
    },
    () => {
      const endpoint = random.pick(['deployments', 'issues', 'close']);
      const devlake = playground.webhooks.devlake;
      const token = random.chance(0.85) ? devlake.token : 'wrong-token';
      const inPath = random.chance(0.5);
      const suffix =
        endpoint === 'close'
          ? `issue/${segment(
              random.pick(['DLK-1234', 'DLK-9']),
              random,
              mutatePath,
            )}/close`
          : endpoint;
      const recordId = segment(playground.id, random, mutatePath);
      const headers: Record<string, string> = {
        'content-type': random.pick([
          'application/json',
          'application/x-www-form-urlencoded',
          'text/plain',
        ]),
      };
      if (!inPath) {
        headers.authorization = random.pick([
          `Bearer ${token}`,
          `Basic ${Buffer.from(`devlake:${token}`).toString('base64')}`,
          'Bearer',
          'Basic %%%',
        ]);
      }
      return {
        family: 'DevLake',
        method: 'POST',
        path: `/api/phaset/devlake/${recordId}/${
          inPath ? `${segment(token, random, mutatePath)}/` : ''
        }${suffix}`,
        headers,
        body: mutatedBody(
          endpoint === 'deployments' ? DEVLAKE_DEPLOYMENT : DEVLAKE_ISSUE,
          random,
        ),
      };
    },
    () => {
      const choice = random.int(6);
      if (choice === 0) {
        return {
          family: 'REST records',
          method: 'POST',
          path: '/api/phaset/records',
          headers: json,
          body: mutatedBody(
            { organization, entityRef: 'component:default/fuzzed' },
            random,
          ),
        };
      }
      if (choice === 1) {
        return {
          family: 'REST records',
          method: 'GET',
          path: `/api/phaset/records${query({ organization })}`,
        };
      }
      if (choice === 2) {
        return {
          family: 'REST records',
          method: 'DELETE',
          path: `/api/phaset/records/${
            mutatePath ? random.pick(NASTY_SEGMENTS) : 'nonexist01'
          }`,
        };
      }
      return {
        family: 'REST records',
        method: 'GET',
        path: `/api/phaset/records/${readId()}${random.pick([
          '',
          '/standards',
          '/baseline',
          '/events',
        ])}`,
      };
    },
    () => {
      const kind = random.pick(['tokens', 'webhooks']);
      const choice = random.int(4);
      const base = `/api/phaset/records/${restId()}/${kind}`;
      const itemId = mutatePath ? random.pick(NASTY_SEGMENTS) : random.hex(32);
      if (choice === 0) {
        return { family: `REST ${kind}`, method: 'GET', path: base };
      }
      if (choice === 1) {
        return {
          family: `REST ${kind}`,
          method: 'POST',
          path: base,
          headers: json,
          body: mutatedBody(
            {
              name: `fuzz-${random.int(1_000_000)}`,
              source: random.pick(['ci', 'github', 'devlake', 'jira']),
            },
            random,
          ),
        };
      }
      if (choice === 2) {
        return {
          family: `REST ${kind}`,
          method: 'PATCH',
          path: `${base}/${itemId}`,
          headers: json,
          body: mutatedBody({ name: 'renamed' }, random),
        };
      }
      return {
        family: `REST ${kind}`,
        method: 'DELETE',
        path: `${base}/${itemId}${query({ deleteData: 'true' })}`,
      };
    },
    () => ({
      family: 'REST events',
      method: random.chance(0.5) ? 'GET' : 'POST',
      path: `/api/phaset/records/${restId()}/events`,
    }),
    () => ({
      family: 'REST events',
      method: 'POST',
      path: `/api/phaset/records/${restId()}/events/recompute`,
    }),
    () => ({
      family: 'REST metrics',
      method: 'GET',
      path: `/api/phaset/metrics/${readId()}${query({
        from: '2024-01-01T00:00:00Z',
        to: random.pick([
          '2024-03-01T00:00:00Z',
          '1735689600',
          '1735689600000',
        ]),
      })}`,
    }),
    () => ({
      family: 'REST series',
      method: 'GET',
      path: `/api/phaset/metrics/${readId()}/series${query({
        metric: random.chance(0.4)
          ? random.pick([
              '__proto__',
              'valueOf',
              'constructor',
              'toString',
              'hasOwnProperty',
            ])
          : random.pick(SERIES_METRICS),
        interval: random.pick(['day', 'week', 'month', '__proto__']),
        from: '2024-01-01T00:00:00Z',
        to: '2024-02-01T00:00:00Z',
      })}`,
    }),
    () => ({
      family: 'REST roll-up',
      method: 'GET',
      path: `/api/phaset/metrics${query({
        org: organization,
        owner: 'group:default/team',
        from: '2024-01-01T00:00:00Z',
        to: '2024-02-01T00:00:00Z',
      })}`,
    }),
    () => ({
      family: 'REST baselines',
      method: 'GET',
      path: `/api/phaset/baselines${query({ x: '1' })}`,
    }),
  ];
  return random.pick(families)();
}
