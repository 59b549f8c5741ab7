import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { group, rollup } from '../../__testUtils__/fixtures';
import { BASE, renderForEntity, server } from '../../__testUtils__/render';
import { rollupHandlers } from '../../__testUtils__/rollup';
import { GroupMetricsContent } from './GroupMetricsContent';

registerMswTestHooks(server);
// Two tables and a lazily loaded one take a while when suites run in parallel.
jest.setTimeout(30_000);

describe('GroupMetricsContent', () => {
  it('rolls up the Records the group owns, team row on top', async () => {
    const requests: URL[] = [];
    server.use(
      ...rollupHandlers(BASE, url => {
        requests.push(url);
        return rollup(
          url.searchParams.get('from')!,
          url.searchParams.get('to')!,
        );
      }),
    );
    renderForEntity(<GroupMetricsContent />, { entity: group });

    expect(
      await screen.findByText(
        'Team, pooled over 2 Records',
        {},
        // The first render loads the table lazily.
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(requests.map(url => url.searchParams.get('owner'))).toEqual([
      'group:default/teamshop',
      'group:default/teamshop',
    ]);
    const [teamTable, recordsTable] = screen.getAllByRole('table');
    expect(within(teamTable).getByText('High')).toBeInTheDocument();

    const rows = within(recordsTable).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('33.3 %');
    expect(rows[1]).toHaveTextContent('no result');
    expect(rows[1]).toHaveTextContent('no data');
    const metricsLinks = within(recordsTable).getAllByRole('link', {
      name: 'Metrics',
    });
    expect(metricsLinks[0]).toHaveAttribute(
      'href',
      expect.stringMatching(
        /\/component\/orders0001\/phaset-metrics\?window=30$/,
      ),
    );
    expect(within(rows[0]).getByText('3 days ago')).toBeInTheDocument();
    expect(within(rows[1]).getByText('none yet')).toBeInTheDocument();
    // The roll-up alone: its Records and its owners, one page each.
    expect(requests.map(url => url.pathname).sort()).toEqual([
      '/api/phaset/metrics',
      '/api/phaset/metrics/owners',
    ]);
  });

  it('says when the group owns no Record', async () => {
    server.use(
      ...rollupHandlers(BASE, url => ({
        window: {
          from: url.searchParams.get('from')!,
          to: url.searchParams.get('to')!,
          days: 30,
        },
        records: [],
        owners: [],
      })),
    );
    renderForEntity(<GroupMetricsContent />, { entity: group });
    expect(
      await screen.findByText('This group owns no Phaset Record'),
    ).toBeInTheDocument();
  });
});
