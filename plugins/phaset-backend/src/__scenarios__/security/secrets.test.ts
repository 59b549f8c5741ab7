import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { createHmac } from 'crypto';
import http from 'http';
import { phasetPlugin } from '../../plugin';
import { redactedRequestLogging } from '../../security/redaction';
import {
  DEMO_TOKEN,
  defaultPhasetConfig,
  testDatabases,
} from '../../__testUtils__/startPhasetBackend';
import {
  rawClient,
  RawRequest,
  RawResponse,
} from '../../__testUtils__/httpClient';

/** Every line any logger writes, with its metadata and errors. */
function capturingLogger(lines: string[]) {
  const format = (message: string, meta: unknown, fields: object) => {
    const error =
      meta instanceof Error
        ? `${meta.name}: ${meta.message}\n${meta.stack}`
        : '';
    return `${message} ${error || JSON.stringify(meta ?? {})} ${JSON.stringify(
      fields,
    )}`;
  };
  const create = (fields: object): LoggerService => ({
    error: (message, meta) => void lines.push(format(message, meta, fields)),
    warn: (message, meta) => void lines.push(format(message, meta, fields)),
    info: (message, meta) => void lines.push(format(message, meta, fields)),
    debug: (message, meta) => void lines.push(format(message, meta, fields)),
    child: more => create({ ...fields, ...more }),
  });
  return create({});
}

const [databaseId] = testDatabases.eachSupportedId()[0] as [TestDatabaseId];
const PORT = 7311;

jest.setTimeout(60_000);

describe(`Secrets on ${databaseId}`, () => {
  it('never appear in the log or in any answer but the one that issues them', async () => {
    const lines: string[] = [];
    const logger = capturingLogger(lines);
    const knex = await testDatabases.init(databaseId);
    // The production backend's services, so that the access log runs.
    const backend = createBackend();
    for (const feature of [
      phasetPlugin,
      mockServices.httpAuth.factory(),
      mockServices.auth.factory(),
      mockServices.permissions.factory(),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: `http://localhost:${PORT}`,
            listen: { host: '127.0.0.1', port: PORT },
          },
          phaset: {
            ...defaultPhasetConfig,
            integration: { requestsPerMinute: 20 },
          },
        },
      }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => logger,
      }),
      createServiceFactory({
        service: coreServices.logger,
        deps: { plugin: coreServices.pluginMetadata },
        factory: ({ plugin }) => logger.child({ plugin: plugin.getId() }),
      }),
      // The access log of packages/backend, as it is configured there.
      rootHttpRouterServiceFactory({
        configure({ applyDefaults, middleware }) {
          const logging = middleware.logging();
          middleware.logging = () => redactedRequestLogging(logging);
          applyDefaults();
        },
      }),
    ]) {
      backend.add(feature);
    }
    await backend.start();
    const client = rawClient({
      address: () => ({ port: PORT, address: '127.0.0.1', family: 'IPv4' }),
    } as unknown as http.Server);
    const answers: Array<{ request: RawRequest; response: RawResponse }> = [];
    const send = async (request: RawRequest) => {
      const response = await client.send(request);
      answers.push({ request, response });
      return response;
    };
    const json = { 'content-type': 'application/json' };

    // Issuing answers: the only ones allowed to carry a secret, never cached.
    const created = await send({
      method: 'POST',
      path: '/api/phaset/records',
      headers: json,
      body: JSON.stringify({ organization: 'demoorg', id: 'secretrec1' }),
    });
    expect(created.status).toBe(201);
    const issuing: RawResponse[] = [];
    const secrets = [DEMO_TOKEN];
    for (const source of ['github', 'devlake', 'ci']) {
      const webhook = await send({
        method: 'POST',
        path: '/api/phaset/records/secretrec1/webhooks',
        headers: json,
        body: JSON.stringify({ name: source, source }),
      });
      expect(webhook.status).toBe(201);
      expect(webhook.headers['cache-control']).toBe('no-store');
      issuing.push(webhook);
      const { token, signingSecret } = JSON.parse(webhook.text);
      secrets.push(token, ...(signingSecret ? [signingSecret] : []));
    }
    const token = await send({
      method: 'POST',
      path: '/api/phaset/records/secretrec1/tokens',
      headers: json,
      body: JSON.stringify({ name: 'plain' }),
    });
    expect(token.status).toBe(201);
    expect(token.headers['cache-control']).toBe('no-store');
    issuing.push(token);
    secrets.push(JSON.parse(token.text).token);
    const [github, devlake, ci, plain] = [1, 3, 4, 5].map(i => secrets[i]);
    const githubSecret = secrets[2];

    // Successes and every kind of error on each path-token route.
    const integration = (route: string, pathToken: string, body?: string) =>
      send({
        method: body === undefined ? 'GET' : 'POST',
        path: `/api/phaset/integration/${route}`.replace('TOKEN', pathToken),
        headers: json,
        body,
      });
    for (const pathToken of [DEMO_TOKEN, ci, plain]) {
      const recordId = pathToken === DEMO_TOKEN ? 'demorecord' : 'secretrec1';
      await integration(
        `record/demoorg/${recordId}/TOKEN`,
        pathToken,
        '{"spec":1}',
      );
      await integration(`record/demoorg/${recordId}/TOKEN`, pathToken, '{');
      await integration(`record/otherorg/${recordId}/TOKEN`, pathToken, '{}');
      await integration(`standards/demoorg/${recordId}/TOKEN`, pathToken, '[]');
      await integration(`baselines/demoorg/nope/${recordId}/TOKEN`, pathToken);
      await integration(
        `baselines/demoorg/default/${recordId}/TOKEN`,
        pathToken,
      );
      await integration(
        `event/demoorg/${recordId}/TOKEN`,
        pathToken,
        '{"event":"nope"}',
      );
      await integration(
        `event/demoorg/${recordId}/TOKEN`,
        pathToken,
        JSON.stringify({ event: 'change', commitSha: 'x'.repeat(300) }),
      );
      await integration(
        `event/demoorg/${recordId}/TOKEN`,
        pathToken,
        'x'.repeat(1_100_000),
      );
      // No such route: answered by the root router, still access-logged.
      await integration(
        `event/demoorg/${recordId}/TOKEN/extra`,
        pathToken,
        '{}',
      );
      await integration(
        `event/demoorg/${recordId}/TOKEN`,
        pathToken,
        '{"event":"comment"}',
      );
    }
    // A GitHub delivery with a wrong and a right signature.
    const push = '{"ref":"refs/heads/main","commits":[]}';
    for (const signature of [
      'sha256=00',
      `sha256=${createHmac('sha256', githubSecret).update(push).digest('hex')}`,
    ]) {
      await send({
        method: 'POST',
        path: `/api/phaset/integration/event/demoorg/secretrec1/${github}`,
        headers: {
          ...json,
          'x-github-event': 'push',
          'x-hub-signature-256': signature,
        },
        body: push,
      });
    }
    // DevLake with the token in the path and as a header.
    for (const body of [
      '{',
      '{"commit_sha":"abc","start_time":"2020-01-01T12:00:00Z","end_time":"2020-01-01T13:00:00Z"}',
    ]) {
      await send({
        method: 'POST',
        path: `/api/phaset/devlake/secretrec1/${devlake}/deployments`,
        headers: json,
        body,
      });
      await send({
        method: 'POST',
        path: `/api/phaset/devlake/secretrec1/${devlake}/issue/X-1/close`,
        headers: json,
        body,
      });
      await send({
        method: 'POST',
        path: '/api/phaset/devlake/secretrec1/deployments',
        headers: { ...json, authorization: `Bearer ${devlake}` },
        body,
      });
    }
    // Spend the Record's budget so that 429 answers are checked too.
    for (let i = 0; i < 25; i++) {
      await integration(
        'baselines/demoorg/default/demorecord/TOKEN',
        DEMO_TOKEN,
      );
    }
    client.close();
    await backend.stop();

    const statuses = new Set(answers.map(a => a.response.status));
    for (const status of [200, 400, 401, 404, 413, 429]) {
      expect(statuses).toContain(status);
    }
    const leaks = (text: string) =>
      secrets.filter(secret => text.includes(secret));
    const leakingAnswers = answers
      .filter(a => !issuing.includes(a.response))
      .filter(
        a =>
          leaks(a.response.text + JSON.stringify(a.response.headers)).length >
          0,
      )
      .map(a => `${a.response.status} ${a.response.text.slice(0, 300)}`);
    expect(leakingAnswers).toEqual([]);
    const leakingLines = lines.filter(line => leaks(line).length > 0);
    expect(leakingLines.slice(0, 10)).toEqual([]);
    // The access log did run, with the tokens masked.
    expect(
      lines.some(line =>
        line.includes('/api/phaset/integration/event/demoorg/demorecord/***'),
      ),
    ).toBe(true);
    expect(
      lines.some(line =>
        line.includes('/api/phaset/devlake/secretrec1/***/deployments'),
      ),
    ).toBe(true);
  });
});
