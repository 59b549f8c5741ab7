import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { RollupOwnerRow } from '../../api';
import { GradeScore } from '../ui';
import { DoraReading } from './DoraReading';
import { rankOwners, RankedOwner, TIERED_METRICS } from './overview';

/**
 * Owners ranked by their pooled DORA tiers (all their Records together),
 * with the mean Health Score of their Records.
 */
export function OwnerRanking({ owners }: { owners: RollupOwnerRow[] }) {
  const columns: TableColumn<RankedOwner>[] = [
    {
      title: 'Rank',
      field: 'rank',
      width: '64px',
      render: row => row.rank ?? '–',
    },
    {
      title: 'Owner',
      field: 'owner',
      render: row => <EntityRefLink entityRef={row.owner} />,
    },
    { title: 'Records', field: 'records', type: 'numeric' },
    {
      title: 'Health (mean)',
      render: row => <GradeScore health={row.health} />,
    },
    ...TIERED_METRICS.map(definition => ({
      title: definition.title,
      sorting: false,
      render: (row: RankedOwner) => (
        <DoraReading definition={definition} dora={row.dora} />
      ),
    })),
  ];
  return (
    <Table
      title="Owners ranked by Health, then by pooled DORA tiers"
      subtitle="Rank: the mean Health Score of the owner's Records, then the mean tier over the four metrics (elite 4 … low 1) of all its Records together"
      options={{
        paging: false,
        search: false,
        padding: 'dense',
        sorting: false,
      }}
      columns={columns}
      data={rankOwners(owners)}
    />
  );
}
