import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  baseline,
  entity,
  record,
  RECORD_ID,
  standards,
} from '../../__testUtils__/fixtures';
import { BASE, renderForEntity, server } from '../../__testUtils__/render';
import { StandardsContent } from './StandardsContent';

registerMswTestHooks(server);

function serve(report: typeof standards) {
  server.use(
    http.get(`${BASE}/records/:id`, () => HttpResponse.json(record)),
    http.get(`${BASE}/records/:id/standards`, () => HttpResponse.json(report)),
    http.get(`${BASE}/records/:id/baseline`, () => HttpResponse.json(baseline)),
  );
}

describe('StandardsContent', () => {
  it('shows counts, score, the Baseline and the results with failures first', async () => {
    serve(standards);
    renderForEntity(<StandardsContent />, { entity });

    expect(await screen.findByTestId('standards-Passes')).toHaveTextContent(
      '1',
    );
    expect(screen.getByTestId('standards-Failures')).toHaveTextContent('1');
    // 1 of 3 checks passed.
    expect(screen.getByTestId('standards-score')).toHaveTextContent('33.3 %');
    expect(screen.getByText('Baseline: Default Baseline')).toBeInTheDocument();
    // Each check with its severity, disabled ones included.
    const codeowners = screen.getByText('checkForPresenceCodeowners');
    expect(codeowners.closest('li')).toHaveTextContent('disabled');
    const readme = screen
      .getAllByText('checkForPresenceReadme')
      .find(element => element.closest('li'));
    expect(readme?.closest('li')).toHaveTextContent('error');

    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[1].textContent?.trim()),
    ).toEqual(['Failed', 'Warning', 'Passed']);
    expect(rows[1]).toHaveTextContent('docs');
  });

  it('tells how to post results when there are none', async () => {
    serve({ history: [] });
    renderForEntity(<StandardsContent />, { entity });

    expect(
      await screen.findByText('No Standards result yet'),
    ).toBeInTheDocument();
    // The code snippets render once their highlighter has loaded.
    await waitFor(() =>
      expect(document.body.textContent).toContain(
        `http://localhost:7007/api/phaset/integration/baselines/demoorg/default/${RECORD_ID}/<WEBHOOK_TOKEN>`,
      ),
    );
    expect(document.body.textContent).toContain(
      `http://localhost:7007/api/phaset/integration/standards/demoorg/${RECORD_ID}/\${{ secrets.PHASET_TOKEN }}`,
    );
  });

  it('shows the API error', async () => {
    server.use(
      http.get(`${BASE}/records/:id`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Not allowed: phaset.record.read',
            },
          },
          { status: 403 },
        ),
      ),
      http.get(`${BASE}/records/:id/standards`, () =>
        HttpResponse.json(standards),
      ),
      http.get(`${BASE}/records/:id/baseline`, () =>
        HttpResponse.json(baseline),
      ),
    );
    renderForEntity(<StandardsContent />, { entity });
    expect(
      (await screen.findAllByText(/Not allowed: phaset.record.read/)).length,
    ).toBeGreaterThan(0);
  });
});
