import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  dora,
  emptyDora,
  emptyEngineering,
  engineering,
  entity,
  entityWithoutRecord,
  metricsFor,
  previousDora,
  RECORD_ID,
  seriesFor,
} from '../../__testUtils__/fixtures';
import { BASE, renderForEntity, server } from '../../__testUtils__/render';
import { windowOfDays } from '../ui';
import { MetricsContent } from './MetricsContent';

registerMswTestHooks(server);

const DEPLOYMENTS = [
  {
    deployedAt: '2026-03-01T10:00:00.000Z',
    rawEventId: 'raw-1',
    source: 'github',
    deliveryId: 'delivery-1',
    commitShas: ['0123456789abcdef0123'],
    url: 'https://github.com/acme/orders/actions/runs/1',
    changes: { count: 2, leadTimeMedianSeconds: 7200 },
    failed: true,
    incidents: [{ id: 'INC-7', openedAt: '2026-03-01T11:00:00.000Z' }],
    rework: false,
  },
  {
    deployedAt: '2026-03-02T10:00:00.000Z',
    rawEventId: 'raw-2',
    source: 'phaset',
    commitShas: ['fix1'],
    changes: { count: 0, leadTimeMedianSeconds: null },
    failed: false,
    incidents: [],
    rework: true,
  },
];

const COVERAGE = {
  recordId: RECORD_ID,
  window: { from: '', to: '', days: 30 },
  deployments: { total: 10, withCommit: 7 },
  changes: { total: 20, deployed: 18 },
  incidents: { total: 2, linked: 1 },
  webhooks: [
    {
      source: 'github',
      lastDeliveryAt: new Date(Date.now() - 20 * 86_400_000).toISOString(),
      deliveriesAccepted: 12,
      deliveriesRejected: 3,
    },
  ],
  hints: ['The github webhook last delivered 20 days ago.'],
};

/** Answers the metrics routes; the current window gets `current`, any other `previous`. */
function serveMetrics(options: {
  current: typeof dora;
  previous: typeof dora;
  eng: typeof engineering;
  seriesValue: number | null;
  seen?: URL[];
}) {
  server.use(
    http.get(`${BASE}/metrics/:id/series`, ({ request }) => {
      const url = new URL(request.url);
      options.seen?.push(url);
      return HttpResponse.json(
        seriesFor(
          url.searchParams.get('metric')!,
          url.searchParams.get('interval')!,
          url.searchParams.get('from')!,
          url.searchParams.get('to')!,
          options.seriesValue,
        ),
      );
    }),
    http.get(`${BASE}/metrics/:id/engineering-series`, ({ request }) => {
      const url = new URL(request.url);
      options.seen?.push(url);
      return HttpResponse.json(
        seriesFor(
          url.searchParams.get('metric')!,
          url.searchParams.get('interval')!,
          url.searchParams.get('from')!,
          url.searchParams.get('to')!,
          options.seriesValue,
        ),
      );
    }),
    http.get(`${BASE}/metrics/:id/coverage`, () => HttpResponse.json(COVERAGE)),
    http.get(`${BASE}/metrics/:id/deployments`, ({ request }) => {
      const url = new URL(request.url);
      options.seen?.push(url);
      return HttpResponse.json({
        recordId: RECORD_ID,
        window: {
          from: url.searchParams.get('from'),
          to: url.searchParams.get('to'),
          days: 30,
        },
        items: DEPLOYMENTS,
      });
    }),
    http.get(`${BASE}/metrics/:id`, ({ request, params }) => {
      expect(params.id).toBe(RECORD_ID);
      const url = new URL(request.url);
      options.seen?.push(url);
      const from = url.searchParams.get('from')!;
      const to = url.searchParams.get('to')!;
      const isCurrent = to === windowOfDays(30).to.toISOString();
      return HttpResponse.json(
        metricsFor(
          from,
          to,
          isCurrent ? options.current : options.previous,
          options.eng,
        ),
      );
    }),
  );
}

const tile = (title: string) => screen.getByTestId(`metric-tile-${title}`);

describe('MetricsContent', () => {
  it('shows a progress bar while loading', async () => {
    server.use(http.get(`${BASE}/metrics/:id`, () => new Promise(() => {})));
    renderForEntity(<MetricsContent />, { entity });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows the four DORA metrics with tier words, human units and change', async () => {
    serveMetrics({
      current: dora,
      previous: previousDora,
      eng: engineering,
      seriesValue: 3,
    });
    renderForEntity(<MetricsContent />, { entity });

    const deployments = await screen.findByTestId(
      'metric-tile-Deployment frequency',
    );
    expect(within(deployments).getByTestId('metric-value')).toHaveTextContent(
      '9.8 / week',
    );
    expect(within(deployments).getByText('Elite')).toBeInTheDocument();
    // 42 deployments against 21 in the previous 30 days.
    expect(within(deployments).getByTestId('metric-change')).toHaveTextContent(
      '+100 % vs previous 30 days (better)',
    );

    expect(
      within(tile('Lead time for changes')).getByTestId('metric-value'),
    ).toHaveTextContent('3 h 20 min');
    const cfr = tile('Change failure rate');
    expect(within(cfr).getByTestId('metric-value')).toHaveTextContent('12.5 %');
    expect(within(cfr).getByText('Medium')).toBeInTheDocument();
    expect(within(cfr).getByTestId('metric-change')).toHaveTextContent(
      '+2.5 pp vs previous 30 days (worse)',
    );
    expect(
      within(tile('Failed deployment recovery time')).getByTestId(
        'metric-value',
      ),
    ).toHaveTextContent('3.1 days');
    expect(
      within(tile('Time to restore')).getByTestId('metric-value'),
    ).toHaveTextContent('1 h 30 min');

    expect(
      within(tile('Merge time')).getByTestId('metric-value'),
    ).toHaveTextContent('20 h');
    expect(
      within(tile('Review size')).getByTestId('metric-value'),
    ).toHaveTextContent('140 lines');
    expect(
      within(tile('Pull requests')).getByText(/27 merged/),
    ).toBeInTheDocument();
  });

  it('explains what to send instead of showing zeros when there is no data', async () => {
    serveMetrics({
      current: emptyDora,
      previous: emptyDora,
      eng: emptyEngineering,
      seriesValue: null,
    });
    renderForEntity(<MetricsContent />, { entity });

    const lead = await screen.findByTestId('metric-tile-Lead time for changes');
    expect(within(lead).getByText('No data')).toBeInTheDocument();
    expect(lead).toHaveTextContent(
      'Lead time needs change events: send change events from CI or connect a push webhook',
    );
    expect(within(lead).getByText('No tier')).toBeInTheDocument();
    const deployments = tile('Deployment frequency');
    expect(deployments).toHaveTextContent(
      'Needs deployments: send deployment events',
    );
    expect(
      within(deployments).queryByTestId('metric-value'),
    ).not.toBeInTheDocument();
    // No chart of nothing: the tiles already say what to send.
    // (mounted charts would show their progress bars while their series load)
    expect(screen.queryAllByTestId('progress')).toHaveLength(0);
    expect(screen.getByTestId('engineering-missing')).toHaveTextContent(
      'need pull request and push events',
    );
    expect(
      screen.queryByTestId('metric-tile-Pull requests'),
    ).not.toBeInTheDocument();
  });

  it('shows the error the API answers', async () => {
    server.use(
      http.get(`${BASE}/metrics/:id`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'database is down' } },
          { status: 500 },
        ),
      ),
    );
    renderForEntity(<MetricsContent />, { entity });
    expect(await screen.findByText(/database is down/)).toBeInTheDocument();
  });

  it('says how to create the Record when the backend does not know it', async () => {
    server.use(
      http.get(`${BASE}/metrics/:id`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: `No Record '${RECORD_ID}'`,
            },
          },
          { status: 404 },
        ),
      ),
    );
    renderForEntity(<MetricsContent />, { entity });
    expect(
      await screen.findByText(`Phaset has no Record ${RECORD_ID} yet`),
    ).toBeInTheDocument();
    // No curl hint: the Record can be connected from here.
    expect(screen.queryByText(/POST \/api\/phaset\/records/)).toBeNull();
  });

  it('reads the window from the URL and keeps a new choice in it', async () => {
    const seen: URL[] = [];
    serveMetrics({
      current: dora,
      previous: previousDora,
      eng: engineering,
      seriesValue: 1,
      seen,
    });
    renderForEntity(<MetricsContent />, { entity, url: '/?window=90' });

    await screen.findByTestId('metric-tile-Deployment frequency');
    const ninety = windowOfDays(90);
    await waitFor(() =>
      expect(
        seen.some(
          u =>
            u.pathname.endsWith(`/metrics/${RECORD_ID}`) &&
            u.searchParams.get('from') === ninety.from.toISOString(),
        ),
      ).toBe(true),
    );
    // 90 days chart weekly; 180 days monthly.
    expect(
      seen
        .find(u => u.pathname.endsWith('/series'))!
        .searchParams.get('interval'),
    ).toBe('week');

    fireEvent.click(screen.getByRole('button', { name: '180 days' }));
    const year = windowOfDays(180);
    await waitFor(() =>
      expect(
        seen.some(
          u =>
            u.pathname.endsWith('/series') &&
            u.searchParams.get('from') === year.from.toISOString() &&
            u.searchParams.get('interval') === 'month',
        ),
      ).toBe(true),
    );
    expect(screen.getByRole('button', { name: '180 days' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('opens the deployments behind a tile in a drawer, failed first, with links to the tool', async () => {
    const seen: URL[] = [];
    serveMetrics({
      current: dora,
      previous: previousDora,
      eng: engineering,
      seriesValue: 2,
      seen,
    });
    renderForEntity(<MetricsContent />, { entity });
    const cfr = await screen.findByTestId('metric-tile-Change failure rate');
    fireEvent.click(
      within(cfr).getByRole('button', {
        name: 'Show the 5 failed deployments first',
      }),
    );
    const list = await screen.findByTestId('fact-list');
    expect(within(list).getByRole('heading')).toHaveTextContent('Deployments');
    expect(
      await within(list).findByTestId('fact-list-count'),
    ).toHaveTextContent('2');
    const rows = within(list).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Failed: INC-7');
    expect(rows[0]).toHaveTextContent('01234567');
    expect(rows[0]).toHaveTextContent('2 · median lead time 2 h');
    expect(rows[1]).toHaveTextContent('Rework');
    expect(within(rows[0]).getByRole('link')).toHaveAttribute(
      'href',
      'https://github.com/acme/orders/actions/runs/1',
    );
    expect(rows[1]).toHaveTextContent('Phaset CI');
    // The list of the page's window, read once.
    const reads = seen.filter(u => u.pathname.endsWith('/deployments'));
    expect(reads).toHaveLength(1);
    expect(reads[0].searchParams.get('from')).toBe(
      windowOfDays(30).from.toISOString(),
    );
    // One metrics read per window (this one and the previous), none per bucket.
    expect(
      seen.filter(u => u.pathname.endsWith(`/metrics/${RECORD_ID}`)),
    ).toHaveLength(2);
    expect(seen.some(u => u.pathname.endsWith('/engineering-series'))).toBe(
      true,
    );

    fireEvent.click(
      within(list).getByRole('button', { name: 'Close the list' }),
    );
    await waitFor(() =>
      expect(screen.queryByTestId('fact-list')).not.toBeInTheDocument(),
    );
  });

  it('says how much telemetry the metrics can use, and what to look at', async () => {
    serveMetrics({
      current: dora,
      previous: previousDora,
      eng: engineering,
      seriesValue: 1,
    });
    renderForEntity(<MetricsContent />, { entity });
    expect(await screen.findByTestId('coverage-deployments')).toHaveTextContent(
      '7 of 10 deployments name their commit',
    );
    expect(screen.getByTestId('coverage-incidents')).toHaveTextContent(
      '1 of 2 incidents link to a deployment',
    );
    expect(
      screen.getByText(/github: last delivery 20 days ago, 3 rejected/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('coverage-hints')).toHaveTextContent(
      'The github webhook last delivered 20 days ago.',
    );
  });

  it('says what is missing for an entity without a Record annotation', async () => {
    renderForEntity(<MetricsContent />, { entity: entityWithoutRecord });
    expect(
      await screen.findByText('Not linked to a Phaset Record'),
    ).toBeInTheDocument();
  });
});
