import { createHmac } from 'crypto';
import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  defaultPhasetConfig,
  startPhasetBackend,
  testDatabases,
} from '../__testUtils__/startPhasetBackend';
import { fixtureHeaders, newRecord, rawFixture } from '../__testUtils__/events';

const seconds = (iso: string) => String(Date.parse(iso) / 1000);
const WINDOW = { from: '2026-01-05T00:00:00Z', to: '2026-02-04T00:00:00Z' };

/**
 * The worked example of docs/metrics.md, with a fix deployed while `i1` was
 * open (rework), then what a person sees behind each number.
 */
const WORKED_EXAMPLE = [
  { event: 'change', commitSha: 'a', timestamp: seconds('2026-01-05T00:00Z') },
  { event: 'change', commitSha: 'b', timestamp: seconds('2026-01-05T06:00Z') },
  {
    event: 'deployment',
    commitSha: 'b',
    timestamp: seconds('2026-01-06T00:00Z'),
  },
  {
    event: 'deployment',
    commitSha: 'c',
    timestamp: seconds('2026-01-08T00:00Z'),
  },
  {
    event: 'incident-opened',
    id: 'i1',
    createdAt: seconds('2026-01-06T01:00Z'),
  },
  {
    event: 'incident-resolved',
    id: 'i1',
    createdAt: seconds('2026-01-06T01:00Z'),
    resolvedAt: seconds('2026-01-06T03:00Z'),
  },
  {
    event: 'incident-resolved',
    id: 'i2',
    createdAt: seconds('2026-01-07T00:00Z'),
    resolvedAt: seconds('2026-01-07T00:30Z'),
  },
  {
    event: 'change',
    commitSha: 'fix',
    timestamp: seconds('2026-01-06T01:30Z'),
  },
  {
    event: 'deployment',
    commitSha: 'fix',
    timestamp: seconds('2026-01-06T02:00Z'),
  },
  // Not deployed by the window's end.
  {
    event: 'change',
    commitSha: 'late',
    timestamp: seconds('2026-02-01T00:00Z'),
  },
  {
    event: 'incident-opened',
    id: 'i3',
    createdAt: seconds('2026-02-02T00:00Z'),
  },
];

describe.each(testDatabases.eachSupportedId())(
  'drill-down on %s',
  (databaseId: TestDatabaseId) => {
    let server: Awaited<ReturnType<typeof startPhasetBackend>>['server'];
    let record: Awaited<ReturnType<typeof newRecord>>;

    beforeAll(async () => {
      ({ server } = await startPhasetBackend(databaseId, defaultPhasetConfig));
      record = await newRecord(server);
      for (const body of WORKED_EXAMPLE) {
        await request(server).post(record.eventUrl).send(body).expect(200);
      }
    });

    const get = (path: string, query: object = WINDOW) =>
      request(server)
        .get(`/api/phaset/metrics/${record.id}${path}`)
        .query(query);

    it('lists the deployments behind the numbers: failed first, with their changes, incidents and rework', async () => {
      const metrics = (await get('').expect(200)).body;
      const list = (await get('/deployments').expect(200)).body;
      expect(list.recordId).toBe(record.id);
      expect(list.window.from).toBe('2026-01-05T00:00:00.000Z');
      expect(
        list.items.map((d: any) => [
          d.deployedAt,
          d.commitShas,
          d.failed,
          d.incidents.map((i: any) => i.id),
          d.rework,
          d.changes,
        ]),
      ).toEqual([
        // i3 (opened Feb 2, still open) links to c's deployment, i2 (Jan 7)
        // to the fix, made while i1 was open, and i1 (Jan 6 01:00) to b's.
        [
          '2026-01-08T00:00:00.000Z',
          ['c'],
          true,
          ['i3'],
          false,
          { count: 0, leadTimeMedianSeconds: null },
        ],
        [
          '2026-01-06T02:00:00.000Z',
          ['fix'],
          true,
          ['i2'],
          true,
          { count: 1, leadTimeMedianSeconds: 1800 },
        ],
        [
          '2026-01-06T00:00:00.000Z',
          ['b'],
          true,
          ['i1'],
          false,
          { count: 2, leadTimeMedianSeconds: 75_600 },
        ],
      ]);
      expect(list.items[0].source).toBe('phaset');
      expect(list.nextCursor).toBeUndefined();
      expect(metrics.dora.deploymentFrequency.deployments).toBe(3);
      expect(metrics.dora.changeFailureRate.failedDeployments).toBe(3);
      expect(metrics.dora.reworkRate).toEqual({
        value: 1 / 3,
        reworkDeployments: 1,
        deployments: 3,
      });
      expect(metrics.lastDeploymentAt).toBe('2026-01-08T00:00:00.000Z');
    });

    it('lists the changes, slowest first, the pending one with its wait', async () => {
      const list = (await get('/changes').expect(200)).body;
      expect(
        list.items.map((c: any) => [
          c.commitSha,
          c.state,
          c.leadTimeSeconds ?? c.waitingSeconds,
        ]),
      ).toEqual(
        [
          ['a', 'deployed', 86_400],
          ['b', 'deployed', 64_800],
          ['late', 'pending', 3 * 86_400],
          ['fix', 'deployed', 1800],
        ].sort((x, y) => (y[2] as number) - (x[2] as number)),
      );
      expect(list.items[0].source).toBe('phaset');
    });

    it('lists the incidents, resolved and open at the window end', async () => {
      const list = (await get('/incidents').expect(200)).body;
      expect(
        list.items.map((i: any) => [
          i.id,
          i.state,
          i.restoreSeconds ?? i.ageSeconds,
          i.recoverySeconds,
          i.linkedDeploymentAt,
        ]),
      ).toEqual([
        ['i3', 'open', 2 * 86_400, undefined, '2026-01-08T00:00:00.000Z'],
        ['i1', 'resolved', 7200, 10_800, '2026-01-06T00:00:00.000Z'],
        ['i2', 'resolved', 1800, 81_000, '2026-01-06T02:00:00.000Z'],
      ]);
    });

    it('pages a list by its cursor, in the same order', async () => {
      const whole = (await get('/changes').expect(200)).body.items;
      const first = (await get('/changes', { ...WINDOW, limit: 3 }).expect(200))
        .body;
      expect(first.items).toEqual(whole.slice(0, 3));
      const second = (
        await get('/changes', {
          ...WINDOW,
          limit: 3,
          cursor: first.nextCursor,
        }).expect(200)
      ).body;
      expect(second.items).toEqual(whole.slice(3));
      expect(second.nextCursor).toBeUndefined();
    });

    it('says how much of the telemetry the metrics can use, and why a number is empty', async () => {
      const coverage = (await get('/coverage').expect(200)).body;
      expect(coverage).toMatchObject({
        recordId: record.id,
        deployments: { total: 3, withCommit: 3 },
        // a, b and fix shipped; late waits.
        changes: { total: 4, deployed: 3 },
        incidents: { total: 3, linked: 3 },
        hints: [],
      });
      expect(coverage.webhooks).toEqual([
        expect.objectContaining({ source: 'ci', deliveriesRejected: 0 }),
      ]);
      expect(coverage.webhooks[0].deliveriesAccepted).toBe(
        WORKED_EXAMPLE.length,
      );

      const empty = await newRecord(server);
      const silent = (
        await request(server)
          .get(`/api/phaset/metrics/${empty.id}/coverage`)
          .query(WINDOW)
          .expect(200)
      ).body;
      expect(silent.deployments).toEqual({ total: 0, withCommit: 0 });
      expect(silent.hints).toEqual([
        expect.stringMatching(/^The ci webhook has never delivered/),
        expect.stringMatching(/^No successful production deployment/),
        expect.stringMatching(/^No change \(commit\) in the window/),
      ]);
    });

    it('links pull requests and incidents to their pages in the tool that sent them', async () => {
      const github = await request(server)
        .post(`/api/phaset/records/${record.id}/webhooks`)
        .send({ name: 'github-hook', source: 'github' })
        .expect(201);
      const path = `/api/phaset/integration/event/demoorg/${record.id}/${github.body.token}`;
      const signed = (file: string) => {
        const body = rawFixture('github', file);
        return request(server)
          .post(path)
          .set(fixtureHeaders('github', file, `delivery-${file}`))
          .set('Content-Type', 'application/json')
          .set(
            'X-Hub-Signature-256',
            `sha256=${createHmac('sha256', github.body.signingSecret)
              .update(body)
              .digest('hex')}`,
          )
          .send(body);
      };
      await signed('pull_request.opened.json').expect(200);
      const prs = (
        await get('/pull-requests', {
          from: '2019-01-01T00:00:00Z',
          to: '2020-01-01T00:00:00Z',
        }).expect(200)
      ).body;
      expect(prs.items).toEqual([
        expect.objectContaining({
          source: 'github',
          url: 'https://github.com/Codertocat/Hello-World/pull/2',
        }),
      ]);
    });

    it('serves an engineering series, one read for every bucket', async () => {
      const series = (
        await get('/engineering-series', {
          ...WINDOW,
          metric: 'changes',
          interval: 'week',
        }).expect(200)
      ).body;
      expect(series.metric).toBe('changes');
      expect(series.points.map((p: any) => p.value)).toEqual([3, 0, 0, 1, 0]);
      const total = (await get('').expect(200)).body.engineering.changes;
      expect(total).toBe(4);
    });

    it.each([
      ['/deployments', { limit: '0' }, /^limit:/],
      ['/changes', { cursor: 'not a cursor!' }, /^cursor:/],
      ['/incidents', { from: 'yesterday' }, /^from:/],
      ['/engineering-series', { metric: 'happiness' }, /^metric:/],
      [
        '/engineering-series',
        { metric: 'changes', interval: 'hour' },
        /^interval:/,
      ],
    ])(
      'rejects %s?%j with a 400 naming the field',
      async (path, query, message) => {
        const response = await get(path, query).expect(400);
        expect(response.body.error.message).toMatch(message);
      },
    );

    it('answers 404 for a Record that does not exist', async () => {
      const statuses = [];
      for (const path of [
        'deployments',
        'changes',
        'incidents',
        'pull-requests',
      ]) {
        statuses.push(
          (await request(server).get(`/api/phaset/metrics/nosuchrec1/${path}`))
            .status,
        );
      }
      expect(statuses).toEqual([404, 404, 404, 404]);
    });
  },
);
