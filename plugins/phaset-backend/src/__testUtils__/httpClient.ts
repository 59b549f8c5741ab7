import http from 'http';
import { AddressInfo } from 'net';

export type RawRequest = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Already percent-encoded, starting with `/api/phaset`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
};

export type RawResponse = {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
};

/**
 * Sends requests as they are (supertest re-encodes paths and sets its own
 * headers), over kept-alive connections so that tens of thousands of requests
 * stay fast.
 */
export function rawClient(server: http.Server) {
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const send = (req: RawRequest): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const body =
        req.body === undefined ? undefined : Buffer.from(req.body as string);
      const outgoing = http.request(
        {
          host: '127.0.0.1',
          port,
          agent,
          method: req.method,
          path: req.path,
          headers: {
            ...(body ? { 'content-length': String(body.length) } : {}),
            ...req.headers,
          },
        },
        incoming => {
          const chunks: Buffer[] = [];
          incoming.on('data', chunk => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              headers: incoming.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/** Runs `count` requests with at most `parallel` in flight. */
export async function runConcurrently<T>(
  count: number,
  parallel: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}
