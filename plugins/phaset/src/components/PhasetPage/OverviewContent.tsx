import {
  Content,
  ContentHeader,
  EmptyState,
  Link,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  catalogApiRef,
  EntityRefLink,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef } from '../../api';
import {
  AsyncContent,
  formatDayAgo,
  GradeScore,
  formatPercent,
  previousWindow,
  useWindowDays,
  WindowPicker,
  windowOfDays,
} from '../ui';
import { passRate } from '../StandardsContent/standards';
import { useEntityTabLink } from '../tabs';
import { compareReadings } from '../MetricsContent/definitions';
import { DoraReading } from './DoraReading';
import { FactListDrawer } from '../FactList';
import {
  matchesFilter,
  OverviewFilter,
  OverviewRow,
  overviewCsv,
  overviewRows,
  recordEntityRef,
  TIERED_METRICS,
  TIERS,
  TREND_LABEL,
} from './overview';
import { OwnerRanking } from './OwnerRanking';
import { SummaryTiles } from './SummaryTiles';

function EntityCell({ row, days }: { row: OverviewRow; days: number }) {
  const tabLink = useEntityTabLink(row.entityRef);
  return (
    <Box display="flex" flexDirection="column" style={{ minWidth: 140 }}>
      <EntityRefLink entityRef={row.entityRef} title={row.title} />
      <Typography variant="caption" color="textSecondary">
        {row.lifecycle && `${row.lifecycle} · `}
        <Link to={tabLink('metrics', `window=${days}`)}>Metrics</Link>
      </Typography>
    </Box>
  );
}

function FilterSelect(props: {
  label: string;
  value?: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value?: string) => void;
}) {
  const { label, value, options, onChange } = props;
  return (
    <TextField
      select
      size="small"
      variant="outlined"
      label={label}
      value={value ?? ''}
      onChange={e => onChange(e.target.value || undefined)}
      style={{ minWidth: 160 }}
      SelectProps={{ SelectDisplayProps: { 'aria-label': label } as any }}
    >
      <MenuItem value="">All</MenuItem>
      {options.map(option => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** Eleven columns fit a laptop screen with less padding than the default. */
const COMPACT_CELL = { padding: '6px 8px' };

const distinct = (values: Array<string | undefined>) =>
  [...new Set(values.filter((v): v is string => Boolean(v)))].sort();

function downloadCsv(rows: OverviewRow[], days: number) {
  const blob = new Blob([overviewCsv(rows)], { type: 'text/csv' });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = `phaset-overview-${days}-days.csv`;
  anchor.click();
  URL.revokeObjectURL(url);
}

/** Every Record of the organisation with its DORA tiers, ranked owners, tier counts. */
export function OverviewContent() {
  const api = useApi(phasetApiRef);
  const catalogApi = useApi(catalogApiRef);
  const [days, setDays] = useWindowDays();
  const window = useMemo(() => windowOfDays(days), [days]);
  const [filter, setFilter] = useState<OverviewFilter>({});

  const state = useAsync(async () => {
    const [current, previous] = await Promise.all([
      api.getMetricsRollup({}, window),
      api.getMetricsRollup({}, previousWindow(window)),
    ]);
    const { items: entities } = await catalogApi.getEntitiesByRefs({
      entityRefs: current.records.map(recordEntityRef),
    });
    const passRates = current.records.map(record =>
      record.standards ? passRate(record.standards) : undefined,
    );
    return {
      owners: current.owners,
      rows: overviewRows({
        records: current.records,
        previous: previous.records,
        entities,
        passRates,
      }),
    };
  }, [api, catalogApi, window]);

  const rows: OverviewRow[] = state.value?.rows ?? [];
  const shown = rows.filter(row => matchesFilter(row, filter));

  const columns: TableColumn<OverviewRow>[] = [
    {
      title: 'Entity',
      field: 'title',
      render: row => <EntityCell row={row} days={days} />,
    },
    {
      title: 'Health',
      field: 'health.score',
      defaultSort: 'desc',
      customSort: (a, b) => (a.health?.score ?? -1) - (b.health?.score ?? -1),
      render: row => <GradeScore health={row.health} />,
    },
    {
      title: 'Owner · system',
      field: 'owner',
      render: row => (
        <Box display="flex" flexDirection="column" style={{ gap: 4 }}>
          {row.owner ? <EntityRefLink entityRef={row.owner} /> : 'no owner'}
          {row.system && (
            <Typography variant="caption">
              <EntityRefLink entityRef={row.system} />
            </Typography>
          )}
        </Box>
      ),
    },
    ...TIERED_METRICS.map(definition => ({
      title: definition.title,
      customSort: compareReadings(definition),
      render: (row: OverviewRow) => (
        <DoraReading
          definition={definition}
          dora={row.dora}
          recordId={row.recordId}
        />
      ),
    })),
    {
      title: 'Standards',
      field: 'passRate',
      render: row =>
        row.passRate === undefined ? 'no result' : formatPercent(row.passRate),
    },
    {
      title: 'Last deployment',
      field: 'lastDeployment',
      render: row =>
        row.lastDeployment ? formatDayAgo(row.lastDeployment) : 'none yet',
    },
    {
      title: 'Trend',
      field: 'trend',
      render: row => TREND_LABEL[row.trend],
    },
  ];

  return (
    <Content>
      <ContentHeader title="Organisation overview">
        <WindowPicker days={days} window={window} onChange={setDays} />
      </ContentHeader>
      <AsyncContent {...state}>
        {({ owners }) =>
          rows.length === 0 ? (
            <EmptyState
              missing="data"
              title="No Phaset Record yet"
              description="Connect a catalog component to Phaset (its Overview offers it), or push a phaset.manifest.json from CI, to see it here."
            />
          ) : (
            <Grid container spacing={3} direction="column">
              <Grid item xs={12}>
                <SummaryTiles rows={rows} />
              </Grid>
              <Grid item xs={12}>
                <Box
                  display="flex"
                  flexWrap="wrap"
                  alignItems="center"
                  style={{ gap: 16 }}
                >
                  <FilterSelect
                    label="Owner"
                    value={filter.owner}
                    options={distinct(rows.map(r => r.owner)).map(value => ({
                      value,
                      label: humanizeEntityRef(parseEntityRef(value), {
                        defaultKind: 'group',
                      }),
                    }))}
                    onChange={owner => setFilter({ ...filter, owner })}
                  />
                  <FilterSelect
                    label="System"
                    value={filter.system}
                    options={distinct(rows.map(r => r.system)).map(value => ({
                      value,
                      label: humanizeEntityRef(parseEntityRef(value), {
                        defaultKind: 'system',
                      }),
                    }))}
                    onChange={system => setFilter({ ...filter, system })}
                  />
                  <FilterSelect
                    label="Lifecycle"
                    value={filter.lifecycle}
                    options={distinct(rows.map(r => r.lifecycle)).map(
                      value => ({ value, label: value }),
                    )}
                    onChange={lifecycle => setFilter({ ...filter, lifecycle })}
                  />
                  <FilterSelect
                    label="Tier"
                    value={filter.tier}
                    options={[
                      ...TIERS.map(tier => ({
                        value: tier,
                        label: `Any metric ${tier}`,
                      })),
                      { value: 'none', label: 'No data' },
                    ]}
                    onChange={tier =>
                      setFilter({
                        ...filter,
                        tier: tier as OverviewFilter['tier'],
                      })
                    }
                  />
                  <FilterSelect
                    label="Grade"
                    value={filter.grade}
                    options={(['A', 'B', 'C', 'D', 'E', 'F'] as const).map(
                      grade => ({ value: grade, label: `Grade ${grade}` }),
                    )}
                    onChange={grade =>
                      setFilter({
                        ...filter,
                        grade: grade as OverviewFilter['grade'],
                      })
                    }
                  />
                  <Box flexGrow={1} />
                  <Typography variant="body2" color="textSecondary">
                    {shown.length} of {rows.length} Records
                  </Typography>
                  <Button
                    variant="outlined"
                    startIcon={<GetAppIcon />}
                    onClick={() => downloadCsv(shown, days)}
                  >
                    Export CSV
                  </Button>
                </Box>
              </Grid>
              <Grid item xs={12}>
                <Table
                  title="Records"
                  subtitle={`Trend: mean tier against the previous ${days} days`}
                  options={{ paging: false, search: false, padding: 'dense' }}
                  columns={columns.map(column => ({
                    ...column,
                    cellStyle: COMPACT_CELL,
                    headerStyle: COMPACT_CELL,
                  }))}
                  data={shown}
                />
              </Grid>
              <Grid item xs={12}>
                <OwnerRanking owners={owners} />
              </Grid>
            </Grid>
          )
        }
      </AsyncContent>
      <FactListDrawer
        window={window}
        recordName={id => rows.find(row => row.recordId === id)?.title ?? id}
      />
    </Content>
  );
}
