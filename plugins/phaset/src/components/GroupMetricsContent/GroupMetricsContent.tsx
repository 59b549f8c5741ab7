import {
  Content,
  ContentHeader,
  EmptyState,
  Link,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef, RollupRecordRow } from '../../api';
import {
  compareReadings,
  DORA_DEFINITIONS,
} from '../MetricsContent/definitions';
import {
  AsyncContent,
  formatDayAgo,
  formatPercent,
  SimpleTable,
  useWindowDays,
  WindowPicker,
  windowOfDays,
} from '../ui';
import { passRate } from '../StandardsContent/standards';
import { useEntityTabLink } from '../tabs';
import { FactListDrawer } from '../FactList';
import { DoraReading } from '../PhasetPage/DoraReading';

type Row = RollupRecordRow & { passRate?: number };

const TEAM_METRICS = DORA_DEFINITIONS.filter(d => d.key !== 'timeToRestore');

function doraColumns(): TableColumn<Row>[] {
  return TEAM_METRICS.map(definition => ({
    title: definition.title,
    render: (row: Row) => (
      <DoraReading
        definition={definition}
        dora={row.dora}
        recordId={row.recordId}
        direction="row"
      />
    ),
    customSort: compareReadings(definition),
  }));
}

function RecordLink({ row, days }: { row: Row; days: number }) {
  const ref =
    row.entityRef ??
    `component:default/${row.recordId.toLocaleLowerCase('en-US')}`;
  const tabLink = useEntityTabLink(ref);
  return (
    <Box display="flex" flexDirection="column">
      <EntityRefLink entityRef={ref} />
      <Link to={tabLink('metrics', `window=${days}`)} variant="caption">
        Metrics
      </Link>
    </Box>
  );
}

/** The team tab of a Group: DORA roll-up of the Records it owns. */
export function GroupMetricsContent() {
  const { entity } = useEntity();
  const api = useApi(phasetApiRef);
  const [days, setDays] = useWindowDays();
  const window = useMemo(() => windowOfDays(days), [days]);
  const owner = stringifyEntityRef(entity);
  const state = useAsync(async () => {
    // One request whatever the number of Records: the roll-up carries each
    // Record's latest Standards counts and last deployment.
    const rollup = await api.getMetricsRollup({ owner }, window);
    const rows: Row[] = rollup.records.map(record => ({
      ...record,
      passRate: record.standards ? passRate(record.standards) : undefined,
    }));
    return { team: rollup.owners.find(o => o.owner === owner), rows };
  }, [api, owner, window]);

  const recordColumns: TableColumn<Row>[] = [
    {
      title: 'Record',
      field: 'recordId',
      render: row => <RecordLink row={row} days={days} />,
    },
    ...doraColumns(),
    {
      title: 'Standards pass rate',
      field: 'passRate',
      render: row =>
        row.passRate === undefined ? 'no result' : formatPercent(row.passRate),
    },
    {
      title: 'Last deployment',
      field: 'lastDeploymentAt',
      render: row =>
        row.lastDeploymentAt ? formatDayAgo(row.lastDeploymentAt) : 'none yet',
    },
  ];

  return (
    <Content noPadding>
      <ContentHeader title="Team delivery metrics">
        <WindowPicker days={days} window={window} onChange={setDays} />
      </ContentHeader>
      <AsyncContent {...state}>
        {({ team, rows }) =>
          rows.length === 0 ? (
            <EmptyState
              missing="data"
              title="This group owns no Phaset Record"
              description="Records count for the group that owns their catalog entity (spec.owner). Link a Record to an entity this group owns, or set the manifest's spec.group."
            />
          ) : (
            <Grid container spacing={3} direction="column">
              {team && (
                <Grid item>
                  <SimpleTable
                    title={`Team, pooled over ${team.records} Record${
                      team.records === 1 ? '' : 's'
                    }`}
                    columns={[
                      {
                        title: 'Owner',
                        render: () => <EntityRefLink entityRef={owner} />,
                      },
                      ...TEAM_METRICS.map(definition => ({
                        title: definition.title,
                        render: (row: typeof team) => (
                          <DoraReading
                            definition={definition}
                            dora={row.dora}
                            direction="row"
                          />
                        ),
                      })),
                    ]}
                    rows={[team]}
                    rowKey={row => row.owner}
                    empty=""
                  />
                </Grid>
              )}
              <Grid item>
                <Table
                  title="Records"
                  options={{ paging: false, search: false, padding: 'dense' }}
                  columns={recordColumns}
                  data={rows}
                />
              </Grid>
            </Grid>
          )
        }
      </AsyncContent>
      <FactListDrawer
        window={window}
        recordName={id => {
          const row = state.value?.rows.find(r => r.recordId === id);
          return row?.entityRef ?? id;
        }}
      />
    </Content>
  );
}
