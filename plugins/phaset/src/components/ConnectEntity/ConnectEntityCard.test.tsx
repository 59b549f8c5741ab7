import type { Entity } from '@backstage/catalog-model';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  API_BASE,
  errorBody,
  renderAction,
  token,
} from '../../__testUtils__/actions';
import { ConnectEntityCard } from './ConnectEntityCard';

const server = setupServer();
registerMswTestHooks(server);

const website: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'example-website', namespace: 'default' },
  spec: { type: 'website', owner: 'guests', lifecycle: 'experimental' },
};

const created = {
  id: 'NewRec0001',
  organizationId: 'demoorg',
  entityRef: 'component:default/example-website',
  origin: 'api',
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
};

function serveOrganizations() {
  server.use(
    http.get(`${API_BASE}/records`, () =>
      HttpResponse.json({ items: [{ ...created, id: 'Other00001' }] }),
    ),
  );
}

async function connect() {
  renderAction(<ConnectEntityCard />, { entity: website });
  fireEvent.click(
    await screen.findByRole('button', { name: 'Connect to Phaset' }),
  );
  const dialog = await screen.findByRole('dialog');
  expect(await within(dialog).findByLabelText('Organisation')).toHaveValue(
    'demoorg',
  );
  fireEvent.click(within(dialog).getByRole('button', { name: 'Connect' }));
  return dialog;
}

describe('ConnectEntityCard', () => {
  it('is not shown to users who may not create Records', async () => {
    renderAction(
      <>
        <ConnectEntityCard />
        <span>rendered</span>
      </>,
      { entity: website, denied: ['phaset.record.create'] },
    );
    expect(await screen.findByText('rendered')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Connect to Phaset' }),
    ).toBeNull();
  });

  it('creates the linked Record, issues a CI token and shows the CI snippet once', async () => {
    serveOrganizations();
    const bodies: unknown[] = [];
    server.use(
      http.post(`${API_BASE}/records`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json(created, { status: 201 });
      }),
      http.post(
        `${API_BASE}/records/NewRec0001/tokens`,
        async ({ request }) => {
          bodies.push(await request.json());
          return HttpResponse.json(
            {
              ...token({ recordId: 'NewRec0001', name: 'CI', source: 'ci' }),
              token: 'the-ci-token',
            },
            { status: 201 },
          );
        },
      ),
    );
    const dialog = await connect();
    expect(
      await within(dialog).findByTestId('copy-field-CI token'),
    ).toHaveTextContent('the-ci-token');
    expect(within(dialog).getByTestId('copy-field-Endpoint')).toHaveTextContent(
      API_BASE,
    );
    expect(
      within(dialog).getByTestId('copy-field-Record id'),
    ).toHaveTextContent('NewRec0001');
    // The snippets reference the secret; the token itself is only in its field.
    // (The code blocks render once their highlighter has loaded.)
    await waitFor(() =>
      expect(dialog.textContent).toContain('secrets.PHASET_TOKEN'),
    );
    const text = dialog.textContent ?? '';
    expect(text).toContain('api-key: ${{ secrets.PHASET_TOKEN }}');
    expect(text).toContain('org-id: demoorg');
    expect(text).toContain('record-id: NewRec0001');
    expect(text).toContain(
      `${API_BASE}/integration/event/demoorg/NewRec0001/$PHASET_TOKEN`,
    );
    expect(text.split('the-ci-token')).toHaveLength(2);
    expect(bodies).toEqual([
      {
        organization: 'demoorg',
        entityRef: 'component:default/example-website',
      },
      { name: 'CI' },
    ]);
  });

  it('shows the backend message naming the field for a bad organisation', async () => {
    server.use(
      http.get(`${API_BASE}/records`, () => HttpResponse.json({ items: [] })),
      http.post(`${API_BASE}/records`, () =>
        HttpResponse.json(
          errorBody(
            'InputError',
            'organization: must be one of the configured organizations (demoorg)',
            400,
          ),
          { status: 400 },
        ),
      ),
    );
    renderAction(<ConnectEntityCard />, { entity: website });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Connect to Phaset' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(await within(dialog).findByLabelText('Organisation'), {
      target: { value: 'nope' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Connect' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'organization: must be one of the configured organizations (demoorg)',
    );
  });

  it('says so when the backend refuses (403)', async () => {
    serveOrganizations();
    server.use(
      http.post(`${API_BASE}/records`, () =>
        HttpResponse.json(
          errorBody(
            'NotAllowedError',
            'Not allowed: phaset.record.create',
            403,
          ),
          { status: 403 },
        ),
      ),
    );
    const dialog = await connect();
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'You are not allowed to do this (Not allowed: phaset.record.create).',
    );
  });

  it('says the backend could not be reached on a network error', async () => {
    serveOrganizations();
    server.use(http.post(`${API_BASE}/records`, () => HttpResponse.error()));
    const dialog = await connect();
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Could not reach the Phaset backend',
    );
  });

  it('tells when the Record exists but its token was refused', async () => {
    serveOrganizations();
    server.use(
      http.post(`${API_BASE}/records`, () =>
        HttpResponse.json(created, { status: 201 }),
      ),
      http.post(`${API_BASE}/records/NewRec0001/tokens`, () =>
        HttpResponse.json(
          errorBody(
            'NotAllowedError',
            'Not allowed: phaset.record.token.manage',
            403,
          ),
          { status: 403 },
        ),
      ),
    );
    const dialog = await connect();
    expect(
      await within(dialog).findByText(/The Record exists, but no CI token/),
    ).toHaveTextContent(
      'The Record exists, but no CI token could be issued: You are not allowed to do this',
    );
    expect(within(dialog).queryByTestId('copy-field-CI token')).toBeNull();
    expect(
      within(dialog).getByTestId('copy-field-Record id'),
    ).toHaveTextContent('NewRec0001');
  });
});
