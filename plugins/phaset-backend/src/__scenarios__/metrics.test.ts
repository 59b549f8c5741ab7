import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DEMO_TOKEN,
  defaultPhasetConfig,
  OTHER_TOKEN,
  startPhasetBackend,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import { withLeadTimeMeanOf } from '../__testUtils__/dora';
import { historyFacts } from '../__testUtils__/events';
import { computeDora } from '../metrics/computeMetrics';

// Owners the roll-up finds in the catalog: the linked entity of demorecord,
// and the Component the catalog module creates for otherrec01.
const catalog = catalogServiceMock.factory({
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'demo-service', namespace: 'default' },
      spec: { owner: 'team-a', type: 'service', lifecycle: 'production' },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'otherrec01', namespace: 'default' },
      spec: {
        owner: 'group:default/team-b',
        type: 'service',
        lifecycle: 'production',
      },
    },
  ],
});

const config = {
  ...defaultPhasetConfig,
  integration: { requestsPerMinute: 0 },
};
const seconds = (iso: string) => String(Date.parse(iso) / 1000);
const millis = (iso: string) => String(Date.parse(iso));

/** Seeded PRNG so a failing random stream can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

describe.each(testDatabases.eachSupportedId())(
  'metrics API on %s',
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];
    let knex: Awaited<ReturnType<typeof startPhasetBackend>>['knex'];

    beforeAll(async () => {
      ({ server, knex } = await startPhasetBackend(databaseId, config, [
        catalog,
      ]));
    });

    const post = (body: object, record = 'demorecord', token = DEMO_TOKEN) =>
      request(server)
        .post(`/api/phaset/integration/event/demoorg/${record}/${token}`)
        .send(body);
    const devlake = (path: string, body?: object) =>
      request(server)
        .post(`/api/phaset/devlake/otherrec01/${path}`)
        .set('Authorization', `Bearer ${OTHER_TOKEN}`)
        .send(body);
    const metrics = async (recordId: string, from: string, to: string) =>
      (
        await request(server)
          .get(`/api/phaset/metrics/${recordId}`)
          .query({ from, to })
          .expect(200)
      ).body;

    it('gives the numbers of the worked example in docs/metrics.md', async () => {
      // Mixed 10- and 13-digit timestamps, as Phaset allows.
      for (const body of [
        {
          event: 'change',
          commitSha: 'a',
          timestamp: seconds('2026-01-05T00:00:00Z'),
        },
        {
          event: 'change',
          commitSha: 'b',
          timestamp: millis('2026-01-05T06:00:00Z'),
        },
        {
          event: 'deployment',
          commitSha: 'b',
          timestamp: seconds('2026-01-06T00:00:00Z'),
        },
        {
          event: 'deployment',
          commitSha: 'c',
          timestamp: millis('2026-01-08T00:00:00Z'),
        },
        {
          event: 'incident-opened',
          id: 'i1',
          createdAt: seconds('2026-01-06T01:00:00Z'),
        },
        {
          event: 'incident-resolved',
          id: 'i1',
          createdAt: seconds('2026-01-06T01:00:00Z'),
          resolvedAt: seconds('2026-01-06T03:00:00Z'),
        },
        {
          event: 'incident-resolved',
          id: 'i2',
          createdAt: seconds('2026-01-07T00:00:00Z'),
          resolvedAt: seconds('2026-01-07T00:30:00Z'),
        },
      ]) {
        await post(body).expect(200);
      }

      const result = await metrics(
        'demorecord',
        '2026-01-05T00:00:00Z',
        '2026-02-04T00:00:00Z',
      );
      expect(result.window).toEqual({
        from: '2026-01-05T00:00:00.000Z',
        to: '2026-02-04T00:00:00.000Z',
        days: 30,
      });
      expect(result.dora.deploymentFrequency).toEqual(
        expect.objectContaining({
          deployments: 2,
          medianDeploymentDaysPerWeek: 0,
          deploymentDaysPerMonth: 2,
          tier: 'medium',
        }),
      );
      expect(result.dora.leadTimeForChanges).toEqual({
        unit: 'seconds',
        count: 2,
        median: 75600,
        p75: 81000,
        p90: 84240,
        mean: 75600,
        tier: 'elite',
      });
      expect(result.dora.changeFailureRate).toEqual({
        value: 0.5,
        failedDeployments: 1,
        deployments: 2,
        tier: 'low',
      });
      expect(result.dora.failedDeploymentRecoveryTime).toEqual(
        expect.objectContaining({ count: 2, median: 49500, tier: 'high' }),
      );
      expect(result.dora.timeToRestore).toEqual(
        expect.objectContaining({
          count: 2,
          median: 4500,
          tier: 'high',
          open: [],
        }),
      );

      // Epoch bounds mean the same window.
      expect(
        await metrics(
          'demorecord',
          seconds('2026-01-05T00:00:00Z'),
          millis('2026-02-04T00:00:00Z'),
        ),
      ).toEqual(result);
    });

    it('walks the seed 002 DevLake examples through every definition', async () => {
      // Posted in the order the seed documents them.
      await devlake('deployments', {
        pipeline_id: 'optional-pipeline-id',
        environment: 'PRODUCTION',
        repo_url: 'https://github.com/apache/incubator-devlake/',
        repo_id: 'optional-repo-id',
        name: 'optional-deployment-name. If you do not post a name, DevLake will generate one for you.',
        ref_name: 'optional-release-v0.17',
        commit_sha: '015e3d3b480e417aede5a1293bd61de9b0fd051d',
        commit_msg: 'optional-commit-message',
        create_time: '2020-01-01T11:00:00+00:00',
        start_time: '2020-01-01T12:00:00+00:00',
        end_time: '2020-01-02T13:00:00+00:00',
        result: 'FAILURE',
      }).expect(200);
      await devlake('deployments', {
        pipeline_id: 'optional-pipeline-id',
        environment: 'PRODUCTION',
        repo_id: 'optional-repo-id',
        name: 'optional-deployment-name. If you do not post a name, DevLake will generate one for you.',
        create_time: '2020-01-01T11:00:00+00:00',
        start_time: '2020-01-01T12:00:00+00:00',
        end_time: '2020-01-02T13:00:00+00:00',
        result: 'FAILURE',
        deploymentCommits: [
          {
            repo_url: 'repo-1',
            name: 'optional, if null, it will be deployment for {commit_sha}',
            ref_name: 'optional-release-v0.17',
            commit_sha: 'c1',
            commit_msg: 'optional-msg-1',
          },
          {
            repo_url: 'repo-2',
            name: 'optional, if null, it will be deployment for {commit_sha}',
            ref_name: 'optional-release-v0.17',
            commit_sha: 'c2',
            commit_msg: 'optional-msg-2',
          },
        ],
      }).expect(200);
      await devlake('deployments', {
        deploymentCommits: [
          {
            commit_sha: 'the sha of deployment commit1',
            repo_url: 'the repo URL of the deployment commit',
          },
        ],
        start_time: '2020-01-01T12:00:00+00:00',
        end_time: '2020-01-02T12:00:00+00:00',
      }).expect(200);
      await devlake('issues', {
        issue_key: 'DLK-1234',
        title: 'a feature from DLK',
        description: '',
        url: '',
        type: 'INCIDENT',
        status: 'TODO',
        created_date: '2020-01-01T12:00:00+00:00',
        updated_date: '2020-01-01T12:00:00+00:00',
        priority: '',
        severity: '',
        creator_id: 'user1131',
        creator_name: 'Nick name 1',
        assignee_id: 'user1132',
        assignee_name: 'Nick name 2',
      }).expect(200);
      const before = Date.now();
      await devlake('issue/DLK-1234/close').expect(200);
      const after = Date.now();

      const week = await metrics(
        'otherrec01',
        '2020-01-01T00:00:00Z',
        '2020-01-08T00:00:00Z',
      );
      // Only the third deployment succeeded; it finished 2020-01-02T12:00.
      expect(week.dora.deploymentFrequency).toEqual({
        deployments: 1,
        perDay: 1 / 7,
        perWeek: 1,
        medianDeploymentDaysPerWeek: 1,
        deploymentDaysPerMonth: 30 / 7,
        tier: 'high',
      });
      expect(week.dora.leadTimeForChanges).toEqual(
        expect.objectContaining({ value: null, count: 0, tier: null }),
      );
      // The incident opened before any successful deployment: linked to none.
      expect(week.dora.changeFailureRate).toEqual({
        value: 0,
        failedDeployments: 0,
        deployments: 1,
        tier: 'elite',
      });
      expect(week.dora.failedDeploymentRecoveryTime).toEqual(
        expect.objectContaining({ value: null, count: 0 }),
      );
      // Closed now, long after this window: open at its end, 6.5 days old.
      expect(week.dora.timeToRestore).toEqual(
        expect.objectContaining({
          value: null,
          open: [
            {
              id: 'DLK-1234',
              openedAt: '2020-01-01T12:00:00.000Z',
              ageSeconds: 561600,
            },
          ],
        }),
      );

      // Over a window that holds the close, time to restore is close − open.
      const all = await metrics(
        'otherrec01',
        '2020-01-01T00:00:00Z',
        new Date(after + 1000).toISOString(),
      );
      const opened = Date.parse('2020-01-01T12:00:00Z');
      expect(all.dora.timeToRestore.count).toBe(1);
      expect(all.dora.timeToRestore.median).toBeGreaterThanOrEqual(
        (before - opened) / 1000 - 1,
      );
      expect(all.dora.timeToRestore.median).toBeLessThanOrEqual(
        (after - opened) / 1000 + 1,
      );
    });

    it('serves a series and an organisation roll-up by owner', async () => {
      const series = await request(server)
        .get('/api/phaset/metrics/demorecord/series')
        .query({
          metric: 'deployments',
          interval: 'week',
          from: '2026-01-05T00:00:00Z',
          to: '2026-01-19T00:00:00Z',
        })
        .expect(200);
      expect(series.body.points).toEqual([
        {
          from: '2026-01-05T00:00:00.000Z',
          to: '2026-01-12T00:00:00.000Z',
          value: 2,
        },
        {
          from: '2026-01-12T00:00:00.000Z',
          to: '2026-01-19T00:00:00.000Z',
          value: 0,
        },
      ]);

      const window = {
        from: '2020-01-01T00:00:00Z',
        to: '2026-02-04T00:00:00Z',
      };
      const rollup = await request(server)
        .get('/api/phaset/metrics')
        .query({ org: 'demoorg', ...window })
        .expect(200);
      expect(
        rollup.body.items.map((r: any) => [
          r.recordId,
          r.owner,
          r.dora.deploymentFrequency.deployments,
        ]),
      ).toEqual([
        ['demorecord', 'group:default/team-a', 2],
        ['otherrec01', 'group:default/team-b', 1],
      ]);
      expect(rollup.body.nextCursor).toBeUndefined();
      const owners = await request(server)
        .get('/api/phaset/metrics/owners')
        .query({ org: 'demoorg', ...window })
        .expect(200);
      expect(owners.body.items.map((o: any) => [o.owner, o.records])).toEqual([
        ['group:default/team-a', 1],
        ['group:default/team-b', 1],
      ]);

      // Page by page, the same rows.
      const first = await request(server)
        .get('/api/phaset/metrics')
        .query({ org: 'demoorg', ...window, limit: 1 })
        .expect(200);
      const second = await request(server)
        .get('/api/phaset/metrics')
        .query({
          org: 'demoorg',
          ...window,
          limit: 1,
          cursor: first.body.nextCursor,
        })
        .expect(200);
      expect([...first.body.items, ...second.body.items]).toEqual(
        rollup.body.items,
      );
      expect(second.body.nextCursor).toBeUndefined();
      const secondOwner = await request(server)
        .get('/api/phaset/metrics/owners')
        .query({ org: 'demoorg', ...window, limit: 1 })
        .expect(200)
        .then(page =>
          request(server)
            .get('/api/phaset/metrics/owners')
            .query({
              org: 'demoorg',
              ...window,
              limit: 1,
              cursor: page.body.nextCursor,
            })
            .expect(200),
        );
      expect(secondOwner.body.items).toEqual([owners.body.items[1]]);
      for (const path of [
        '/api/phaset/metrics',
        '/api/phaset/metrics/owners',
      ]) {
        const invalid = await request(server)
          .get(path)
          .query({ cursor: 'not-a-cursor', limit: 1 })
          .expect(400);
        expect(invalid.body.error.message).toMatch(/^cursor:/);
        await request(server).get(path).query({ limit: 0 }).expect(400);
      }

      const teamB = await request(server)
        .get('/api/phaset/metrics')
        .query({ owner: 'group:default/team-b', ...window })
        .expect(200);
      expect(teamB.body.items.map((r: any) => r.recordId)).toEqual([
        'otherrec01',
      ]);
      const teamBOwners = await request(server)
        .get('/api/phaset/metrics/owners')
        .query({ owner: 'group:default/team-b', ...window })
        .expect(200);
      expect(teamBOwners.body.items.map((o: any) => o.owner)).toEqual([
        'group:default/team-b',
      ]);
    });

    it.each([
      [{ from: 'yesterday' }, /^from:/],
      [{ to: '123456789' }, /^to:/],
      [
        { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
        /^from: must be before to/,
      ],
    ])('rejects the window %j', async (query, message) => {
      const response = await request(server)
        .get('/api/phaset/metrics/demorecord')
        .query(query)
        .expect(400);
      expect(response.body.error.message).toMatch(message);
    });

    it("counts the last 90 days' telemetry into completeness, per Record and in the roll-up", async () => {
      const health = async () =>
        (await request(server).get('/api/phaset/records/otherrec01/health'))
          .body;
      const before = await health();
      const iso = (hoursAgo: number) =>
        new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
      // Older than the window: counts for nothing.
      await post(
        {
          event: 'deployment',
          commitSha: 'tele-old',
          timestamp: millis(iso(24 * 91)),
        },
        'otherrec01',
        OTHER_TOKEN,
      ).expect(200);
      for (const body of [
        { event: 'change', commitSha: 'tele-1', timestamp: millis(iso(48)) },
        {
          event: 'deployment',
          commitSha: 'tele-1',
          timestamp: millis(iso(24)),
        },
        { event: 'incident-opened', id: 'tele-i', createdAt: millis(iso(12)) },
        // Made after the last deployment, so no deployment has shipped it yet.
        { event: 'change', commitSha: 'tele-2', timestamp: millis(iso(6)) },
      ]) {
        await post(body, 'otherrec01', OTHER_TOKEN).expect(200);
      }
      const after = await health();
      const { telemetry } = after.parts.completeness;
      expect(telemetry).toEqual({
        windowDays: 90,
        deployments: before.parts.completeness.telemetry.deployments + 1,
        changes: {
          total: before.parts.completeness.telemetry.changes.total + 2,
          deployed: before.parts.completeness.telemetry.changes.deployed + 1,
        },
        incidents: {
          total: before.parts.completeness.telemetry.incidents.total + 1,
          linked: before.parts.completeness.telemetry.incidents.linked + 1,
        },
        score: expect.any(Number),
      });
      const { deployments, changes, incidents } = telemetry;
      const shares = [
        deployments > 0 ? 1 : 0,
        changes.deployed / changes.total,
        incidents.linked / incidents.total,
      ];
      expect(telemetry.score).toBeCloseTo(
        (100 * (shares[0] + shares[1] + shares[2])) / 3,
        10,
      );
      expect(after.parts.completeness.score).toBeCloseTo(
        0.8 * after.parts.completeness.manifest + 0.2 * telemetry.score,
        10,
      );
      expect(after.score).toBeGreaterThan(before.score);
      const rollup = (
        await request(server).get('/api/phaset/metrics').expect(200)
      ).body;
      const row = rollup.items.find((r: any) => r.recordId === 'otherrec01');
      expect(row.health).toEqual({ score: after.score, grade: after.grade });
    });

    it('rejects an unknown series metric and interval, and unknown Records', async () => {
      const metric = await request(server)
        .get('/api/phaset/metrics/demorecord/series?metric=happiness')
        .expect(400);
      expect(metric.body.error.message).toMatch(/^metric:/);
      const interval = await request(server)
        .get(
          '/api/phaset/metrics/demorecord/series?metric=deployments&interval=hour',
        )
        .expect(400);
      expect(interval.body.error.message).toMatch(/^interval:/);
      await request(server).get('/api/phaset/metrics/nosuchrec1').expect(404);
    });

    it('equals a recomputation from the raw events on a random stream of 10,000 events', async () => {
      const next = random(databaseId.length * 7919);
      const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
      const start = Date.parse('2025-01-01T00:00:00Z');
      const time = () => start + Math.floor(next() * 365 * 86_400_000);
      const shas = Array.from({ length: 400 }, (_, i) => `sha${i}`);
      const bodies: object[] = [];
      // The same commits pushed from GitHub too, at other times: a commit's
      // lead time starts at its earliest change from any source.
      const pushes: object[] = [];
      for (let i = 0; i < 10_000; i++) {
        const at = time();
        const ts = next() < 0.5 ? String(Math.floor(at / 1000)) : String(at);
        const id = `inc${Math.floor(next() * 300)}`;
        const kind = pick([
          'change',
          'change',
          'change',
          'deployment',
          'incident-opened',
          'incident-resolved',
          'pr-opened',
          'pr-merged',
          'review-approved',
          'comment',
        ]);
        if (kind === 'change' || kind === 'deployment') {
          const commitSha = pick(shas);
          bodies.push({ event: kind, commitSha, timestamp: ts });
          if (kind === 'change' && next() < 0.1) {
            pushes.push({
              ref: 'refs/heads/main',
              after: commitSha,
              commits: [
                { id: commitSha, timestamp: new Date(time()).toISOString() },
              ],
            });
          }
        } else if (kind === 'incident-opened') {
          bodies.push({ event: kind, id, createdAt: ts });
        } else if (kind === 'incident-resolved') {
          bodies.push({
            event: kind,
            id,
            createdAt: ts,
            resolvedAt: String(
              Math.floor(at / 1000) + Math.floor(next() * 200_000),
            ),
          });
        } else if (kind === 'pr-opened') {
          bodies.push({
            event: kind,
            additions: Math.floor(next() * 500),
            deletions: Math.floor(next() * 200),
            changedFiles: 1 + Math.floor(next() * 20),
          });
        } else if (kind === 'pr-merged') {
          bodies.push({
            event: kind,
            createdAt: ts,
            mergedAt: String(
              Math.floor(at / 1000) + Math.floor(next() * 400_000),
            ),
          });
        } else if (kind === 'review-approved') {
          bodies.push({
            event: kind,
            createdAt: ts,
            submittedAt: String(
              Math.floor(at / 1000) + Math.floor(next() * 100_000),
            ),
          });
        } else {
          bodies.push({ event: kind });
        }
      }
      // A fresh Record keeps the stream apart from the other tests.
      const created = await request(server)
        .post('/api/phaset/records')
        .send({ organization: 'demoorg' })
        .expect(201);
      const recordId = created.body.id;
      const token = (
        await request(server)
          .post(`/api/phaset/records/${recordId}/tokens`)
          .send({ name: 'ci' })
          .expect(201)
      ).body.token;
      for (let i = 0; i < bodies.length; i += 50) {
        await Promise.all(
          bodies
            .slice(i, i + 50)
            .map(body => post(body, recordId, token).expect(200)),
        );
      }
      for (const [i, push] of pushes.entries()) {
        await post(push, recordId, token)
          .set('X-GitHub-Event', 'push')
          .set('X-GitHub-Delivery', `push-${i}`)
          .expect(200);
      }

      const windows = [
        ['2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
        ['2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z'],
        ['2025-06-10T00:00:00Z', '2025-06-17T00:00:00Z'],
      ];
      const read = () =>
        Promise.all(windows.map(([from, to]) => metrics(recordId, from, to)));
      const incremental = await read();
      // The DORA facts kept at ingestion give the reference definitions over
      // the whole stored history (every window ends before now).
      const history = await historyFacts(knex, recordId);
      const reference = (from: string, to: string) =>
        computeDora(
          history,
          { from: Date.parse(from), to: Date.parse(to) },
          Date.now(),
        );
      expect(incremental.map(r => r.dora)).toEqual(
        windows.map(([from, to]) => reference(from, to)),
      );
      expect(
        incremental[0].dora.deploymentFrequency.deployments,
      ).toBeGreaterThan(500);
      expect(incremental[0].dora.leadTimeForChanges.count).toBeGreaterThan(100);

      const recomputed = await request(server)
        .post(`/api/phaset/records/${recordId}/events/recompute`)
        .expect(200);
      expect(recomputed.body.deliveries).toBeGreaterThan(5000);
      expect(await read()).toEqual(incremental);

      // The roll-up reads only its window's facts; each of its rows must
      // equal the per-Record endpoint and the reference over all events (on
      // PostgreSQL the lead-time mean to within summation order).
      const day = 86_400_000;
      const rollupWindows = [
        ...windows,
        ['2024-06-01T00:00:00Z', '2025-01-01T00:00:00Z'],
        ['2025-12-20T00:00:00Z', '2026-03-01T00:00:00Z'],
        ...Array.from({ length: 30 }, (_, i) => {
          const from = start - 10 * day + Math.floor(next() * 380 * day);
          const to = from + 1 + Math.floor(next() * (i % 2 ? 90 : 2) * day);
          return [new Date(from).toISOString(), new Date(to).toISOString()];
        }),
      ];
      for (const [from, to] of rollupWindows) {
        const rollup = await request(server)
          .get('/api/phaset/metrics')
          .query({ org: 'demoorg', from, to })
          .expect(200);
        const row = rollup.body.items.find((r: any) => r.recordId === recordId);
        const single = (await metrics(recordId, from, to)).dora;
        expect({
          from,
          to,
          dora: withLeadTimeMeanOf(row.dora, single),
        }).toEqual({ from, to, dora: single });
        expect({
          from,
          to,
          dora: withLeadTimeMeanOf(row.dora, reference(from, to)),
        }).toEqual({ from, to, dora: reference(from, to) });
      }
    }, 180_000);
  },
);
