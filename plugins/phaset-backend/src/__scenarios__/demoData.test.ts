import { execFile } from 'child_process';
import fs from 'fs';
import path from 'path';
import { promisify } from 'util';
import { mockCredentials } from '@backstage/backend-test-utils';
import { startPhasetBackend } from '../__testUtils__/startPhasetBackend';

/*
 * scripts/seed-demo.mjs against a real backend: the demo history goes in
 * through the Integration API, the metrics of the three demo Records land in
 * clearly different DORA tiers, and a second run adds nothing.
 */
const ROOT = path.resolve(__dirname, '../../../..');
const SEED = path.join(ROOT, 'scripts/seed-demo.mjs');
const TOKEN = 'demo-seed-test-token';
// The history ends before this UTC day; the windows below end in it.
const TODAY = '2026-03-02';
const DAY = 86_400_000;

const RECORDS = {
  elite: 'jAkLRtjuQ9',
  medium: 'UJFb9JHUUb',
  low: 'webshop001',
  noEvents: 'mOjuOxvUoU',
};

// The demo part of app-config.yaml, which the script relies on.
const appConfig = fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8');
const phaset = {
  organizations: [{ id: 'demoorg' }],
  records: Object.values(RECORDS).map(id => ({
    id,
    organization: 'demoorg',
    tokens: [{ name: 'ci', token: TOKEN }],
  })),
  integration: { requestsPerMinute: 0 },
};

async function seed(port: number, ...args: string[]) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [SEED, '--backend', `http://localhost:${port}`, '--today', TODAY, ...args],
    {
      env: {
        ...process.env,
        PHASET_DEMO_TOKEN: TOKEN,
        PHASET_SEED_BACKSTAGE_TOKEN: mockCredentials.user.token(),
      },
    },
  );
  return stdout;
}

type Tiers = Record<string, string | null>;

describe('demo data (scripts/seed-demo.mjs)', () => {
  let port: number;

  // startTestBackend stops the backend after the tests.
  beforeAll(async () => {
    const { server } = await startPhasetBackend('SQLITE_3', phaset);
    port = server.port();
    await seed(port);
  }, 180_000);

  const get = async (pathname: string) => {
    const res = await fetch(`http://localhost:${port}/api/phaset${pathname}`, {
      headers: { Authorization: mockCredentials.user.header() },
    });
    expect(res.status).toBe(200);
    return res.json();
  };

  /** Every event of a Record, through all pages. */
  const events = async (recordId: string) => {
    const items: any[] = [];
    let cursor = '';
    do {
      const page = await get(
        `/records/${recordId}/events?limit=1000${
          cursor && `&cursor=${cursor}`
        }`,
      );
      items.push(...page.items);
      cursor = page.nextCursor ?? '';
    } while (cursor);
    return items;
  };

  async function tiers(recordId: string, to: number): Promise<Tiers> {
    const from = new Date(to - 30 * DAY).toISOString();
    const { dora } = await get(
      `/metrics/${recordId}?from=${from}&to=${new Date(to).toISOString()}`,
    );
    // Rework rate has no tier (DORA publishes none).
    return Object.fromEntries(
      Object.entries(dora)
        .filter(([, value]) => 'tier' in (value as object))
        .map(([metric, value]) => [
          metric,
          (value as { tier: string | null }).tier,
        ]),
    );
  }

  it('declares the demo Records in app-config.yaml', () => {
    for (const id of Object.values(RECORDS)) {
      expect(appConfig).toContain(`- id: ${id}`);
    }
  });

  it('puts the three Records in different DORA tiers over the last 30 days', async () => {
    const to = Date.parse(`${TODAY}T00:00:00Z`);
    expect(await tiers(RECORDS.elite, to)).toEqual({
      deploymentFrequency: 'elite',
      leadTimeForChanges: 'elite',
      changeFailureRate: 'elite',
      failedDeploymentRecoveryTime: 'elite',
      timeToRestore: 'elite',
    });
    expect(await tiers(RECORDS.medium, to)).toEqual({
      deploymentFrequency: 'high',
      leadTimeForChanges: 'medium',
      changeFailureRate: 'medium',
      failedDeploymentRecoveryTime: 'medium',
      timeToRestore: 'medium',
    });
    expect(await tiers(RECORDS.low, to)).toEqual({
      deploymentFrequency: 'medium',
      leadTimeForChanges: 'medium',
      changeFailureRate: 'low',
      failedDeploymentRecoveryTime: 'low',
      timeToRestore: 'low',
    });
  });

  it('grades the demo Records A, C and F through Reviews posted to the API', async () => {
    const grades: Record<string, string> = {};
    for (const [profile, id] of Object.entries(RECORDS)) {
      grades[profile] = (await get(`/records/${id}/health`)).grade;
    }
    expect(grades).toEqual({
      elite: 'A',
      medium: 'C',
      low: 'F',
      noEvents: 'F',
    });
    const latest = await get(`/records/${RECORDS.elite}/reviews/latest`);
    expect(latest.score).toBe(100);
  });

  it('keeps those tiers whatever day and hour the 30-day window ends', async () => {
    // The history repeats every four weeks; check each day of one cycle.
    const start = Date.parse(`${TODAY}T00:00:00Z`);
    for (let day = 1; day <= 28; day++) {
      const to = start - day * DAY + ((day * 7) % 24) * 3_600_000;
      const elite = await tiers(RECORDS.elite, to);
      const medium = await tiers(RECORDS.medium, to);
      const low = await tiers(RECORDS.low, to);
      expect(new Set(Object.values(elite))).toEqual(new Set(['elite']));
      expect(medium).toMatchObject({
        deploymentFrequency: 'high',
        leadTimeForChanges: 'medium',
        failedDeploymentRecoveryTime: 'medium',
        timeToRestore: 'medium',
      });
      expect(low).toMatchObject({
        deploymentFrequency: 'medium',
        leadTimeForChanges: 'medium',
        changeFailureRate: 'low',
        failedDeploymentRecoveryTime: 'low',
        timeToRestore: 'low',
      });
    }
  });

  it('fills every screen: manifests, Standards, pull requests, staging and failed deployments', async () => {
    for (const id of Object.values(RECORDS)) {
      const record = await get(`/records/${id}`);
      expect(record.manifest.spec.name).toBeTruthy();
      const standards = await get(`/records/${id}/standards`);
      expect(standards.latest.results.length).toBeGreaterThan(0);
    }
    const items = await events(RECORDS.elite);
    const kinds = new Set(items.map((e: { kind: string }) => e.kind));
    expect(kinds).toEqual(
      new Set([
        'change',
        'pr-opened',
        'review-approved',
        'pr-merged',
        'deployment',
        'incident-opened',
        'incident-resolved',
      ]),
    );
    const deployments: Array<{ environment: string; result: string }> =
      items.filter((e: { kind: string }) => e.kind === 'deployment');
    expect(deployments.some(e => e.environment === 'staging')).toBe(true);
    expect(deployments.some(e => e.result === 'failure')).toBe(true);
    // GitHub deliveries came through a generated, signed webhook.
    const webhooks = await get(`/records/${RECORDS.elite}/webhooks`);
    expect(
      webhooks.items.filter((w: { origin: string }) => w.origin === 'api'),
    ).toEqual([
      expect.objectContaining({
        name: 'github-demo',
        source: 'github',
        signed: true,
        deliveriesRejected: 0,
      }),
    ]);
    expect(await events(RECORDS.noEvents)).toEqual([]);
  });

  it('adds nothing when run again, even resending every delivery', async () => {
    const before = await Promise.all(
      Object.values(RECORDS).map(id => events(id)),
    );
    const standardsBefore = await get(`/records/${RECORDS.low}/standards`);
    const output = await seed(port, '--full');
    expect(output).not.toMatch(/[1-9]\d* events accepted/);
    expect(output).toMatch(/[1-9]\d* duplicates/);
    expect(output).not.toMatch(/manifest pushed|Standards result/);
    const after = await Promise.all(
      Object.values(RECORDS).map(id => events(id)),
    );
    expect(after.map(a => a.length)).toEqual(before.map(b => b.length));
    expect(await get(`/records/${RECORDS.low}/standards`)).toEqual(
      standardsBefore,
    );
  }, 180_000);
});
