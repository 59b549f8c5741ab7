import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { baseline, entity, record } from '../../__testUtils__/fixtures';
import { BASE, renderForEntity, server } from '../../__testUtils__/render';
import { RecordContent } from './RecordContent';

registerMswTestHooks(server);

describe('RecordContent', () => {
  it('groups the manifest as a person reads it', async () => {
    server.use(
      http.get(`${BASE}/records/:id`, () => HttpResponse.json(record)),
      http.get(`${BASE}/records/:id/baseline`, () =>
        HttpResponse.json(baseline),
      ),
    );
    renderForEntity(<RecordContent />, { entity });

    expect(await screen.findByText('Orders service')).toBeInTheDocument();
    expect(screen.getByText('2.3.1')).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: /^https:\/\/github.com\/example\/orders/,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('Public cloud')).toBeInTheDocument();
    expect(screen.getByText('Default Baseline (default)')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /^oncall@example.com/ }),
    ).toHaveAttribute('href', 'mailto:oncall@example.com');
    expect(screen.getByText('Order API availability')).toBeInTheDocument();
    expect(screen.getByText('Charges cards')).toBeInTheDocument();
    expect(screen.getByText('Critical')).toBeInTheDocument();
    expect(screen.getByText('CC-42')).toBeInTheDocument();
    // The dependency links to the entity its Record became.
    expect(screen.getByRole('link', { name: /payments01/ })).toHaveAttribute(
      'href',
      expect.stringContaining('/catalog/default/component/payments01'),
    );
  });

  it('says when no manifest was pushed', async () => {
    server.use(
      http.get(`${BASE}/records/:id`, () =>
        HttpResponse.json({ ...record, manifest: undefined }),
      ),
      http.get(`${BASE}/records/:id/baseline`, () =>
        HttpResponse.json(baseline),
      ),
    );
    renderForEntity(<RecordContent />, { entity });
    expect(
      await screen.findByText('No manifest pushed yet'),
    ).toBeInTheDocument();
  });
});
