import { Knex } from 'knex';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  DEMO_TOKEN,
  defaultPhasetConfig,
  OTHER_TOKEN,
  startPhasetBackend,
  testDatabases,
} from '../../__testUtils__/startPhasetBackend';
import { seedManifest, standardLintOutput } from '../../__testUtils__/fixtures';
import { toIsoString } from '../../database/time';
import {
  FuzzTargets,
  fuzzRequest,
  seededRandom,
} from '../../__testUtils__/fuzzRequests';
import { rawClient } from '../../__testUtils__/httpClient';

/**
 * Seeded fuzzing of every route family. `PHASET_FUZZ_REQUESTS` sets the
 * number of requests per database (the reliability run uses 10,000) and
 * `PHASET_FUZZ_SEED` replays a run.
 */
const REQUESTS = Number(process.env.PHASET_FUZZ_REQUESTS ?? 2000);
const SEED = Number(process.env.PHASET_FUZZ_SEED ?? 20261123);

const PROTECTED = ['demorecord', 'otherrec01', 'otherorg01'];
const TABLES = [
  'phaset_records',
  'phaset_tokens',
  'phaset_standards_results',
  'phaset_events',
  'phaset_raw_events',
];

/** Every stored row of the protected Records, comparable across reads. */
async function snapshot(knex: Knex) {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const column = table === 'phaset_records' ? 'id' : 'record_id';
    const rows = await knex(table).whereIn(column, PROTECTED).orderBy('id');
    tables[table] = rows.map(row =>
      Object.fromEntries(
        Object.entries(row).map(([key, value]) => [
          key,
          value instanceof Date ? toIsoString(value) : value,
        ]),
      ),
    );
  }
  return tables;
}

/** A serialised stack or a source file location. */
const STACK_TRACE = /"stack"\s*:|\n\s+at |\/[\w./-]+\.[jt]sx?:\d+/;

/** Status of every fuzz request, by database, to compare the engines. */
const statusesByDatabase = new Map<string, number[]>();

jest.setTimeout(120_000 + REQUESTS * 50);

describe.each(testDatabases.eachSupportedId())(
  'Fuzzing every route on %s',
  (databaseId: TestDatabaseId) => {
    it(`answers ${REQUESTS} mutated requests without a 5xx and leaves other Records' data unchanged`, async () => {
      const { server, knex } = await startPhasetBackend(databaseId, {
        ...defaultPhasetConfig,
        // Budgets depend on timing; answers must depend on the seed only.
        integration: {
          requestsPerMinute: 0,
          failedAuthenticationsPerMinute: 0,
        },
      });
      const client = rawClient(server);
      const json = { 'content-type': 'application/json' };
      const post = async (path: string, body: unknown, expected: number) => {
        const response = await client.send({
          method: 'POST',
          path: `/api/phaset${path}`,
          headers: json,
          body: JSON.stringify(body),
        });
        expect(response.status).toBe(expected);
        return JSON.parse(response.text);
      };

      // Data the fuzz must not change.
      await post(
        `/integration/record/demoorg/demorecord/${DEMO_TOKEN}`,
        seedManifest(),
        200,
      );
      await post(
        `/integration/standards/demoorg/demorecord/${DEMO_TOKEN}`,
        standardLintOutput(),
        200,
      );
      for (const [recordId, token] of [
        ['demorecord', DEMO_TOKEN],
        ['otherrec01', OTHER_TOKEN],
      ]) {
        await post(
          `/integration/event/demoorg/${recordId}/${token}`,
          {
            event: 'change',
            commitSha: 'a'.repeat(40),
            timestamp: '1700000000',
          },
          200,
        );
        await post(
          `/integration/event/demoorg/${recordId}/${token}`,
          {
            event: 'deployment',
            commitSha: 'a'.repeat(40),
            timestamp: '1700000600',
          },
          200,
        );
      }

      // The playground the fuzz may change, with a webhook for every tool.
      await post(
        '/records',
        { organization: 'demoorg', id: 'playground' },
        201,
      );
      const targets: FuzzTargets = {
        organization: 'demoorg',
        playground: { id: 'playground', ciToken: '', webhooks: {} },
        protectedIds: PROTECTED,
      };
      for (const source of [
        'ci',
        'github',
        'gitlab',
        'bitbucket',
        'azure-devops',
        'jira',
        'linear',
        'devlake',
      ]) {
        const webhook = await post(
          '/records/playground/webhooks',
          { name: `${source}-hook`, source },
          201,
        );
        targets.playground.webhooks[source] = {
          token: webhook.token,
          signingSecret: webhook.signingSecret,
        };
      }
      targets.playground.ciToken = targets.playground.webhooks.ci.token;

      const before = await snapshot(knex);
      const random = seededRandom(SEED);
      const failures: string[] = [];
      const families = new Map<string, number>();
      const statuses: number[] = [];
      // One request at a time: answers then depend on the seed only, so the
      // two engines can be compared request by request.
      for (let i = 0; i < REQUESTS; i++) {
        const request = fuzzRequest(targets, random);
        const response = await client.send(request);
        statuses.push(response.status);
        families.set(request.family, (families.get(request.family) ?? 0) + 1);
        const describe = () =>
          `#${i} ${request.family}: ${request.method} ${request.path.slice(
            0,
            160,
          )} ` +
          `body ${String(request.body ?? '').slice(0, 160)} -> ${
            response.status
          } ${response.text.slice(0, 300)}`;
        if (response.status >= 500) {
          failures.push(describe());
        } else if (STACK_TRACE.test(response.text)) {
          failures.push(`stack trace or file path in answer: ${describe()}`);
        }
      }
      client.close();
      statusesByDatabase.set(databaseId, statuses);

      expect({ count: failures.length, first: failures.slice(0, 20) }).toEqual({
        count: 0,
        first: [],
      });
      // Every route family was exercised.
      expect([...families.keys()].length).toBeGreaterThanOrEqual(15);
      expect(await snapshot(knex)).toEqual(before);
    });
  },
);

if (testDatabases.eachSupportedId().length > 1) {
  describe('Fuzzing: the engines agree', () => {
    it('gives the same status to each request on every database', () => {
      const [first, ...others] = [...statusesByDatabase.entries()];
      expect(first[1]).toHaveLength(REQUESTS);
      for (const [databaseId, statuses] of others) {
        const differences = statuses
          .map((status, i) => ({ i, status, expected: first[1][i] }))
          .filter(d => d.status !== d.expected)
          .map(
            d =>
              `#${d.i}: ${first[0]} ${d.expected}, ${databaseId} ${d.status}`,
          );
        expect(differences.slice(0, 20)).toEqual([]);
      }
    });
  });
}
