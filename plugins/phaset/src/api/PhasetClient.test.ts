import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { PhasetClient } from './PhasetClient';

const BASE = 'http://localhost:7007/api/phaset';
const server = setupServer();
registerMswTestHooks(server);

const client = new PhasetClient({
  discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
  fetchApi: mockApis.fetch(),
});

/** Serves `items` in pages of two, with a cursor that is the next index. */
function servePaged(path: string, items: object[]) {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get(`${BASE}${path}`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      requests.push(query);
      const start = Number(query.get('cursor') ?? 0);
      const next = start + 2;
      return HttpResponse.json({
        window: { from: query.get('from'), to: query.get('to'), days: 30 },
        items: items.slice(start, next),
        ...(next < items.length && { nextCursor: String(next) }),
      });
    }),
  );
  return requests;
}

describe('PhasetClient on paged lists', () => {
  it('reads every page of the Records, in the largest pages, keeping the filter', async () => {
    const records = ['a', 'b', 'c', 'd', 'e'].map(id => ({ id }));
    const requests = servePaged('/records', records);
    expect(await client.listRecords({ organization: 'org' })).toEqual(records);
    expect(requests.map(query => query.get('cursor'))).toEqual([
      null,
      '2',
      '4',
    ]);
    for (const query of requests) {
      expect(query.get('limit')).toBe('1000');
      expect(query.get('organization')).toBe('org');
    }
  });

  it("counts a webhook's events over every page by their tokenId", async () => {
    servePaged('/records/Orders0001/events', [
      { id: '1', tokenId: 'hook' },
      { id: '2', tokenId: 'other' },
      { id: '3', tokenId: 'hook' },
      { id: '4', tokenId: 'hook' },
    ]);
    expect(await client.countTokenEvents('Orders0001', 'hook')).toBe(3);
  });

  it('reads every page of the roll-up, its Records and its owners, for the window and owner', async () => {
    const records = ['a', 'b', 'c'].map(recordId => ({ recordId }));
    const owners = ['group:default/x', 'group:default/y', 'group:default/z'];
    const recordRequests = servePaged('/metrics', records);
    const ownerRequests = servePaged(
      '/metrics/owners',
      owners.map(owner => ({ owner })),
    );
    const window = {
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-12-01T00:00:00Z'),
    };
    const rollup = await client.getMetricsRollup(
      { owner: 'group:default/x' },
      window,
    );
    expect(rollup.records).toEqual(records);
    expect(rollup.owners.map(o => o.owner)).toEqual(owners);
    expect(rollup.window).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      days: 30,
    });
    for (const requests of [recordRequests, ownerRequests]) {
      expect(requests.map(query => query.get('cursor'))).toEqual([null, '2']);
      for (const query of requests) {
        expect(query.get('limit')).toBe('1000');
        expect(query.get('owner')).toBe('group:default/x');
        expect(query.get('to')).toBe('2026-12-01T00:00:00.000Z');
      }
    }
  });
});
