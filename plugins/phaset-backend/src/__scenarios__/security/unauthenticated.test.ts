import v8 from 'v8';
import vm from 'vm';
import net from 'net';
import { AddressInfo } from 'net';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  DEMO_TOKEN,
  defaultPhasetConfig,
  startPhasetBackend,
  testDatabases,
} from '../../__testUtils__/startPhasetBackend';
import { rawClient, runConcurrently } from '../../__testUtils__/httpClient';

/**
 * What a caller without a token can do: it must not grow the backend's
 * memory, spend a Record's request budget or hold a request open.
 */

v8.setFlagsFromString('--expose-gc');
const collectGarbage: () => void = vm.runInNewContext('gc');

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

const UNKNOWN_ID_REQUESTS = Number(
  process.env.PHASET_UNKNOWN_ID_REQUESTS ?? 30_000,
);

const [databaseId] = testDatabases.eachSupportedId()[0] as [TestDatabaseId];

jest.setTimeout(120_000);

describe(`Unauthenticated callers on ${databaseId}`, () => {
  it(`keeps memory flat under ${UNKNOWN_ID_REQUESTS} requests for unknown Record ids`, async () => {
    const { server } = await startPhasetBackend(databaseId, {
      ...defaultPhasetConfig,
      integration: { requestsPerMinute: 0 },
    });
    const client = rawClient(server);
    const send = (id: string) =>
      client.send({
        method: 'POST',
        path: `/api/phaset/integration/event/demoorg/${id}/nope`,
        headers: { 'content-type': 'application/json' },
        body: '{"event":"comment"}',
      });
    // Warm up code paths and pools before measuring.
    await runConcurrently(500, 16, i =>
      send(`warm${String(i).padStart(6, '0')}`),
    );
    const before = heapUsed();
    const statuses = new Set<number>();
    await runConcurrently(UNKNOWN_ID_REQUESTS, 16, async i => {
      // Half of them look like Record ids, half are 8,000-character ids.
      const id =
        i % 2 === 0
          ? `u${String(i).padStart(9, '0')}`
          : `${String(i).padStart(8, '0')}${'x'.repeat(7992)}`;
      statuses.add((await send(id)).status);
    });
    const grownBytes = heapUsed() - before;
    client.close();
    // Refused (429 once the failed-authentication budget is spent), never 5xx.
    expect([...statuses].filter(s => ![400, 401, 429].includes(s))).toEqual([]);
    // Keeping each 8,000-character id alone would take > 120 MB.
    expect(grownBytes).toBeLessThan(16 * 1024 * 1024);
  });

  it('lets the real token through after 1,000 wrong-token requests, telling the bad caller when to retry', async () => {
    const { server } = await startPhasetBackend(databaseId, {
      ...defaultPhasetConfig,
      integration: { requestsPerMinute: 600 },
    });
    const client = rawClient(server);
    const event = (token: string) =>
      client.send({
        method: 'POST',
        path: `/api/phaset/integration/event/demoorg/demorecord/${token}`,
        headers: { 'content-type': 'application/json' },
        body: '{"event":"comment"}',
      });
    const wrong = await runConcurrently(1000, 16, i => event(`wrong-${i}`));
    const limited = wrong.filter(r => r.status === 429);
    expect(wrong.every(r => r.status === 401 || r.status === 429)).toBe(true);
    expect(limited.length).toBeGreaterThan(0);
    for (const response of limited) {
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }

    // The Record's own CI is unaffected on every integration route.
    expect((await event(DEMO_TOKEN)).status).toBe(200);
    const manifest = await client.send({
      method: 'GET',
      path: `/api/phaset/integration/baselines/demoorg/default/demorecord/${DEMO_TOKEN}`,
    });
    expect(manifest.status).toBe(200);
    const standards = await client.send({
      method: 'POST',
      path: `/api/phaset/integration/standards/demoorg/demorecord/${DEMO_TOKEN}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        passes: 0,
        warnings: 0,
        failures: 0,
        results: [],
      }),
    });
    expect(standards.status).toBe(200);
    client.close();
  });

  it('answers 429 with Retry-After when a Record spends its own budget', async () => {
    const { server } = await startPhasetBackend(databaseId, {
      ...defaultPhasetConfig,
      integration: { requestsPerMinute: 3 },
    });
    const client = rawClient(server);
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let i = 0; i < 4; i++) {
      const response = await client.send({
        method: 'GET',
        path: `/api/phaset/integration/baselines/demoorg/default/demorecord/${DEMO_TOKEN}`,
      });
      statuses.push(response.status);
      retryAfter = response.headers['retry-after'];
    }
    client.close();
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  });

  it('does not hold a request whose body never finishes', async () => {
    const { server } = await startPhasetBackend(databaseId, {
      ...defaultPhasetConfig,
      integration: { requestsPerMinute: 0, bodyTimeoutSeconds: 1 },
    });
    const { port } = server.address() as AddressInfo;
    const started = Date.now();
    const answer = await new Promise<string>(resolve => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /api/phaset/integration/event/demoorg/demorecord/${DEMO_TOKEN} HTTP/1.1\r\n` +
            'Host: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"event":',
        );
      });
      let received = '';
      socket.on('data', chunk => {
        received += chunk.toString('utf8');
      });
      socket.on('close', () => resolve(received));
      socket.on('error', () => resolve(received));
    });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
