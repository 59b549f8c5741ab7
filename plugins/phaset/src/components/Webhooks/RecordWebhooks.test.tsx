import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  API_BASE,
  errorBody,
  renderAction,
  token,
  WEBHOOK_SOURCES,
} from '../../__testUtils__/actions';
import { RecordWebhooks } from './RecordWebhooks';

const server = setupServer();
registerMswTestHooks(server);

const RECORD = 'Orders0001';
const WEBHOOKS = `${API_BASE}/records/${RECORD}/webhooks`;

function serveList(tokens = [token()]) {
  server.use(
    http.get(WEBHOOKS, () => HttpResponse.json({ items: tokens })),
    http.get(`${API_BASE}/webhooks/sources`, () =>
      HttpResponse.json({ items: WEBHOOK_SOURCES }),
    ),
  );
}

async function openGenerate() {
  renderAction(<RecordWebhooks recordId={RECORD} />);
  fireEvent.click(
    await screen.findByRole('button', { name: 'Generate webhook' }),
  );
  return screen.findByRole('dialog');
}

async function pickTool(dialog: HTMLElement, title: string) {
  fireEvent.mouseDown(within(dialog).getByLabelText('Tool'));
  fireEvent.click(await screen.findByRole('option', { name: title }));
}

describe('RecordWebhooks', () => {
  it('lists tokens with their delivery statistics', async () => {
    serveList([
      token(),
      token({
        id: 'tok-2',
        name: 'ci',
        source: 'ci',
        signed: false,
        lastDeliveryAt: undefined,
        deliveriesAccepted: 0,
        deliveriesRejected: 0,
      }),
    ]);
    renderAction(<RecordWebhooks recordId={RECORD} />);
    const row = await screen.findByTestId('token-row-GitHub webhook');
    expect(within(row).getByText('GitHub')).toBeInTheDocument();
    expect(within(row).getByText('12')).toBeInTheDocument();
    expect(within(row).getByText('1')).toBeInTheDocument();
    const ci = screen.getByTestId('token-row-ci');
    expect(within(ci).getByText('never')).toBeInTheDocument();
    expect(within(ci).getByText('CI')).toBeInTheDocument();
  });

  it('offers no action and reads nothing to a user who may not manage tokens', async () => {
    const listed = jest.fn();
    server.use(
      http.get(WEBHOOKS, () => {
        listed();
        return HttpResponse.json({ items: [token()] });
      }),
    );
    renderAction(<RecordWebhooks recordId={RECORD} />, {
      denied: ['phaset.record.token.manage'],
    });
    expect(
      await screen.findByText(/You may not see or manage this Record/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Generate webhook' }),
    ).toBeNull();
    expect(screen.queryByRole('button', { name: /Revoke/ })).toBeNull();
    expect(listed).not.toHaveBeenCalled();
  });

  describe('Generate webhook', () => {
    it('shows the URL and signing secret once, with the tool setup steps', async () => {
      serveList([]);
      let sent: unknown;
      server.use(
        http.post(WEBHOOKS, async ({ request }) => {
          sent = await request.json();
          return HttpResponse.json(
            {
              ...token({ name: 'GitHub webhook', deliveriesAccepted: 0 }),
              token: 'secret-token',
              signingSecret: 'signing-secret-123',
              url: `${API_BASE}/integration/event/demoorg/${RECORD}/secret-token`,
            },
            { status: 201 },
          );
        }),
      );
      const dialog = await openGenerate();
      await pickTool(dialog, 'GitHub');
      fireEvent.click(within(dialog).getByRole('button', { name: 'Generate' }));
      expect(
        await within(dialog).findByTestId('copy-field-Webhook URL'),
      ).toHaveTextContent(`/integration/event/demoorg/${RECORD}/secret-token`);
      expect(
        within(dialog).getByTestId('copy-field-Signing secret'),
      ).toHaveTextContent('signing-secret-123');
      expect(
        within(dialog).getByRole('button', { name: 'Copy Webhook URL' }),
      ).toBeInTheDocument();
      const steps = within(dialog).getByTestId('webhook-setup-steps');
      expect(steps).toHaveTextContent('Deployment statuses');
      expect(steps).toHaveTextContent('X-Hub-Signature-256');
      expect(sent).toEqual({ source: 'github', name: 'GitHub webhook' });
    });

    it('shows the DevLake curl commands for a DevLake webhook', async () => {
      serveList([]);
      server.use(
        http.post(WEBHOOKS, () =>
          HttpResponse.json(
            {
              ...token({ source: 'devlake', signed: false }),
              token: 't',
              url: `${API_BASE}/devlake/${RECORD}/t`,
            },
            { status: 201 },
          ),
        ),
      );
      const dialog = await openGenerate();
      await pickTool(dialog, 'Apache DevLake');
      fireEvent.click(within(dialog).getByRole('button', { name: 'Generate' }));
      const steps = await within(dialog).findByTestId('webhook-setup-steps');
      expect(steps).toHaveTextContent(
        `curl ${API_BASE}/devlake/${RECORD}/t/deployments`,
      );
      expect(
        within(dialog).queryByTestId('copy-field-Signing secret'),
      ).toBeNull();
    });

    it('shows the backend message naming the field for a bad name', async () => {
      serveList([]);
      server.use(
        http.post(WEBHOOKS, () =>
          HttpResponse.json(
            errorBody(
              'InputError',
              'name: must be 1-100 characters of letters, digits, space, _ . : @ -',
              400,
            ),
            { status: 400 },
          ),
        ),
      );
      const dialog = await openGenerate();
      fireEvent.change(within(dialog).getByLabelText('Name'), {
        target: { value: 'GitHub/webhook' },
      });
      fireEvent.click(within(dialog).getByRole('button', { name: 'Generate' }));
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        'name: must be 1-100 characters of letters, digits, space, _ . : @ -',
      );
      // Still on the form, so the user can fix the name.
      expect(
        within(dialog).getByRole('button', { name: 'Generate' }),
      ).toBeEnabled();
    });

    it('says so when the backend refuses (403)', async () => {
      serveList([]);
      server.use(
        http.post(WEBHOOKS, () =>
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
      const dialog = await openGenerate();
      fireEvent.click(within(dialog).getByRole('button', { name: 'Generate' }));
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        'You are not allowed to do this (Not allowed: phaset.record.token.manage).',
      );
    });

    it('says the backend could not be reached on a network error', async () => {
      serveList([]);
      server.use(http.post(WEBHOOKS, () => HttpResponse.error()));
      const dialog = await openGenerate();
      fireEvent.click(within(dialog).getByRole('button', { name: 'Generate' }));
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        'Could not reach the Phaset backend',
      );
    });
  });

  describe('rename in place', () => {
    it('saves the new name and reloads the list', async () => {
      let current = token();
      let sent: unknown;
      server.use(
        http.get(WEBHOOKS, () => HttpResponse.json({ items: [current] })),
        http.get(`${API_BASE}/webhooks/sources`, () =>
          HttpResponse.json({ items: WEBHOOK_SOURCES }),
        ),
        http.patch(`${WEBHOOKS}/tok-1`, async ({ request }) => {
          sent = await request.json();
          current = token({ name: 'Shop repo' });
          return HttpResponse.json(current);
        }),
      );
      renderAction(<RecordWebhooks recordId={RECORD} />);
      fireEvent.click(
        await screen.findByRole('button', { name: 'Rename GitHub webhook' }),
      );
      fireEvent.change(screen.getByLabelText('New name for GitHub webhook'), {
        target: { value: 'Shop repo' },
      });
      fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
      expect(
        await screen.findByTestId('token-row-Shop repo'),
      ).toBeInTheDocument();
      expect(sent).toEqual({ name: 'Shop repo' });
    });

    it('keeps the field open with the backend message on a bad name', async () => {
      serveList();
      server.use(
        http.patch(`${WEBHOOKS}/tok-1`, () =>
          HttpResponse.json(
            errorBody(
              'InputError',
              'name: must be 1-100 characters of letters, digits, space . : @ - _',
              400,
            ),
            { status: 400 },
          ),
        ),
      );
      renderAction(<RecordWebhooks recordId={RECORD} />);
      fireEvent.click(
        await screen.findByRole('button', { name: 'Rename GitHub webhook' }),
      );
      fireEvent.change(screen.getByLabelText('New name for GitHub webhook'), {
        target: { value: 'bad/name' },
      });
      fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
      expect(
        await screen.findByText(/name: must be 1-100 characters/),
      ).toBeInTheDocument();
      expect(screen.getByLabelText('New name for GitHub webhook')).toHaveValue(
        'bad/name',
      );
    });
  });

  describe('revoke', () => {
    function serveEvents() {
      server.use(
        http.get(`${API_BASE}/records/${RECORD}/events`, () =>
          HttpResponse.json({
            items: [
              { id: 1, tokenId: 'tok-1' },
              { id: 2, tokenId: 'tok-1' },
              { id: 3, tokenId: 'other' },
            ],
          }),
        ),
      );
    }

    async function openRevoke() {
      renderAction(<RecordWebhooks recordId={RECORD} />);
      fireEvent.click(
        await screen.findByRole('button', { name: 'Revoke GitHub webhook' }),
      );
      return screen.findByRole('dialog');
    }

    it('asks, says how many events it sent and deletes them on request', async () => {
      let remaining = [token()];
      let url: URL | undefined;
      serveEvents();
      server.use(
        http.get(WEBHOOKS, () => HttpResponse.json({ items: remaining })),
        http.get(`${API_BASE}/webhooks/sources`, () =>
          HttpResponse.json({ items: WEBHOOK_SOURCES }),
        ),
        http.delete(`${WEBHOOKS}/tok-1`, ({ request }) => {
          url = new URL(request.url);
          remaining = [];
          return new HttpResponse(null, { status: 204 });
        }),
      );
      const dialog = await openRevoke();
      const choice = await within(dialog).findByLabelText(
        'Also delete the data it sent (2 events)',
      );
      fireEvent.click(choice);
      fireEvent.click(
        within(dialog).getByRole('button', { name: 'Revoke and delete data' }),
      );
      expect(
        await screen.findByText(/No tokens or webhooks yet/),
      ).toBeInTheDocument();
      expect(url?.searchParams.get('deleteData')).toBe('true');
    });

    it('falls back to the accepted deliveries when the events cannot be counted', async () => {
      serveList();
      server.use(
        http.get(`${API_BASE}/records/${RECORD}/events`, () =>
          HttpResponse.json(errorBody('Error', 'boom', 500), { status: 500 }),
        ),
      );
      const dialog = await openRevoke();
      expect(
        await within(dialog).findByLabelText(
          'Also delete the data it sent (the events of its 12 accepted deliveries)',
        ),
      ).toBeInTheDocument();
    });

    it('shows the refusal (403) and keeps the webhook', async () => {
      serveList();
      serveEvents();
      server.use(
        http.delete(`${WEBHOOKS}/tok-1`, () =>
          HttpResponse.json(errorBody('NotAllowedError', 'Not allowed', 403), {
            status: 403,
          }),
        ),
      );
      const dialog = await openRevoke();
      fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke' }));
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        'You are not allowed to do this',
      );
    });

    it('shows a validation error from the backend', async () => {
      serveList();
      serveEvents();
      server.use(
        http.delete(`${WEBHOOKS}/tok-1`, () =>
          HttpResponse.json(
            errorBody('InputError', 'deleteData: must be true or false', 400),
            { status: 400 },
          ),
        ),
      );
      const dialog = await openRevoke();
      fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke' }));
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        'deleteData: must be true or false',
      );
    });

    it('says the backend could not be reached on a network error', async () => {
      serveList();
      serveEvents();
      server.use(http.delete(`${WEBHOOKS}/tok-1`, () => HttpResponse.error()));
      const dialog = await openRevoke();
      fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke' }));
      await waitFor(() =>
        expect(within(dialog).getByRole('alert')).toHaveTextContent(
          'Could not reach the Phaset backend',
        ),
      );
    });
  });
});
