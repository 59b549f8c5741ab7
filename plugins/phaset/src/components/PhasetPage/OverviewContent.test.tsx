import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { API_BASE, renderAction } from '../../__testUtils__/actions';
import { rollupHandlers } from '../../__testUtils__/rollup';
import {
  dora,
  emptyDora,
  previousDora,
  standards,
} from '../../__testUtils__/fixtures';
import { windowOfDays } from '../ui';
import { OverviewContent } from './OverviewContent';

const server = setupServer();
registerMswTestHooks(server);

const orders = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders', namespace: 'default', title: 'Orders service' },
  spec: { owner: 'teamshop', system: 'shop', lifecycle: 'production' },
};
const crm = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'crm', namespace: 'default', title: 'CRM' },
  spec: { owner: 'teamcrm', lifecycle: 'experimental' },
};

function serve(seen: URL[]) {
  server.use(
    ...rollupHandlers(API_BASE, url => {
      seen.push(url);
      const current =
        url.searchParams.get('to') === windowOfDays(30).to.toISOString();
      return {
        window: { from: '', to: '', days: 30 },
        records: [
          {
            recordId: 'Orders0001',
            organizationId: 'demoorg',
            entityRef: 'component:default/orders',
            owner: 'group:default/teamshop',
            lastDeploymentAt: new Date(
              Date.now() - 357 * 86_400_000,
            ).toISOString(),
            standards: standards.latest,
            health: { score: 91, grade: 'A' },
            dora: current ? dora : previousDora,
          },
          {
            recordId: 'Crm0000001',
            organizationId: 'demoorg',
            entityRef: 'component:default/crm',
            owner: 'group:default/teamcrm',
            dora: emptyDora,
          },
        ],
        owners: [
          { owner: 'group:default/teamcrm', records: 1, dora: emptyDora },
          { owner: 'group:default/teamshop', records: 1, dora },
        ],
      };
    }),
  );
}

describe('OverviewContent', () => {
  it('shows every Record with tiers, tier counts, ranked owners and filters', async () => {
    const seen: URL[] = [];
    serve(seen);
    renderAction(<OverviewContent />, { catalog: [orders, crm] as any });
    expect(
      await screen.findByText('none yet', {}, { timeout: 20_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('357 days ago')).toBeInTheDocument();
    expect(screen.getByText('33.3 %')).toBeInTheDocument();
    expect(screen.getByText('Orders service')).toBeInTheDocument();
    expect(screen.getByText('CRM')).toBeInTheDocument();
    // Both windows were read, Records and owners: this one and the one
    // before, for the trend.
    expect(
      seen.map(u => `${u.pathname} ${u.searchParams.get('to')}`).sort(),
    ).toEqual(
      [
        `/api/phaset/metrics ${windowOfDays(30).to.toISOString()}`,
        `/api/phaset/metrics ${windowOfDays(30).from.toISOString()}`,
        `/api/phaset/metrics/owners ${windowOfDays(30).to.toISOString()}`,
        `/api/phaset/metrics/owners ${windowOfDays(30).from.toISOString()}`,
      ].sort(),
    );
    expect(
      screen.getByTestId('tier-summary-deploymentFrequency'),
    ).toHaveTextContent(
      'Elite1 RecordHigh0 RecordsMedium0 RecordsLow0 RecordsNo tier1 without data',
    );
    expect(screen.getByText('2 of 2 Records')).toBeInTheDocument();
    // The owner ranking puts the team with tiers first.
    const ranking = screen
      .getByText('Owners ranked by Health, then by pooled DORA tiers')
      .closest('div[class*="MuiPaper"]') as HTMLElement;
    const rankingRows = within(ranking).getAllByRole('row');
    expect(rankingRows[1]).toHaveTextContent(/^1/);
    expect(rankingRows[1]).toHaveTextContent('teamshop');

    // The Health column: grade and score, and a filter by grade.
    expect(screen.getAllByLabelText('Grade A').length).toBeGreaterThan(0);
    fireEvent.mouseDown(screen.getByLabelText('Grade'));
    fireEvent.click(await screen.findByRole('option', { name: 'Grade A' }));
    expect(await screen.findByText('1 of 2 Records')).toBeInTheDocument();
    expect(screen.queryByText('CRM')).toBeNull();
    fireEvent.mouseDown(screen.getByLabelText('Grade'));
    fireEvent.click(await screen.findByRole('option', { name: /Any|All/ }));
    expect(await screen.findByText('2 of 2 Records')).toBeInTheDocument();

    fireEvent.mouseDown(screen.getByLabelText('Owner'));
    fireEvent.click(await screen.findByRole('option', { name: 'teamcrm' }));
    expect(await screen.findByText('1 of 2 Records')).toBeInTheDocument();
    expect(screen.queryByText('Orders service')).toBeNull();
    expect(screen.getByRole('button', { name: /Export CSV/ })).toBeEnabled();
    // material-table renders slowly in jsdom on a loaded machine.
  }, 60_000);

  it('tells how to get Records in when there are none', async () => {
    server.use(
      ...rollupHandlers(API_BASE, () => ({
        window: { from: '', to: '', days: 30 },
        records: [],
        owners: [],
      })),
    );
    renderAction(<OverviewContent />);
    expect(await screen.findByText('No Phaset Record yet')).toBeInTheDocument();
  });
});
