import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  dora,
  engineering,
  entity,
  health,
  metricsFor,
  record,
  standards,
} from '../../__testUtils__/fixtures';
import { BASE, renderForEntity, server } from '../../__testUtils__/render';
import { HealthCard } from './HealthCard';

registerMswTestHooks(server);

describe('HealthCard', () => {
  it('shows pass rate, the four DORA tiers, last deployment and links to the tabs', async () => {
    server.use(
      http.get(`${BASE}/records/:id`, () => HttpResponse.json(record)),
      http.get(`${BASE}/records/:id/health`, () => HttpResponse.json(health)),
      http.get(`${BASE}/records/:id/standards`, () =>
        HttpResponse.json(standards),
      ),
      http.get(`${BASE}/metrics/:id`, ({ request }) => {
        const url = new URL(request.url);
        return HttpResponse.json({
          ...metricsFor(
            url.searchParams.get('from')!,
            url.searchParams.get('to')!,
            dora,
            engineering,
          ),
          // The answer says when the Record last deployed: no second read.
          lastDeploymentAt: new Date(Date.now() - 86_400_000).toISOString(),
        });
      }),
    );
    renderForEntity(<HealthCard />, { entity });

    expect(await screen.findByTestId('health-standards')).toHaveTextContent(
      '33.3 % pass · 1 failing',
    );
    expect(screen.getAllByText('Elite')).toHaveLength(2);
    // Change failure rate and recovery time.
    expect(screen.getAllByText('Medium')).toHaveLength(2);
    expect(await screen.findByText('yesterday')).toBeInTheDocument();
    // The grade, its three parts, and what would raise it.
    expect(screen.getByLabelText('Grade D')).toBeInTheDocument();
    expect(screen.getByTestId('health-summary')).toHaveTextContent(
      'Health Score 61 / 100Standards 33 · completeness 76 (manifest 80, telemetry 60) · Review 75',
    );
    expect(
      screen.getByText('Fill in contacts, slo in phaset.manifest.json.'),
    ).toBeInTheDocument();
    const links = screen.getAllByRole('link').map(a => a.getAttribute('href'));
    expect(links).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /\/catalog\/default\/component\/orders\/phaset-metrics$/,
        ),
        expect.stringMatching(/\/phaset-standards$/),
        expect.stringMatching(/\/phaset-record$/),
      ]),
    );
    expect(
      within(screen.getByText('Manifest pushed').parentElement!).getByText(
        /ago/,
      ),
    ).toBeInTheDocument();
  });
});
