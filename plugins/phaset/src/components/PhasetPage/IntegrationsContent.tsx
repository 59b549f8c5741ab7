import { Content, ContentHeader, EmptyState } from '@backstage/core-components';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  EntityRefLink,
  getEntityRelations,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef } from '../../api';
import { AsyncContent } from '../ui';
import { RecordWebhooks } from '../Webhooks';
import { recordEntityRef } from './overview';

type IntegrationRow = { recordId: string; entityRef: string; owner?: string };

/** The owner as the catalog resolved it (the ownedBy relation). */
function ownerOf(entity?: Entity): string | undefined {
  const [owner] = entity ? getEntityRelations(entity, RELATION_OWNED_BY) : [];
  return owner && stringifyEntityRef(owner);
}

/** Per Record: its CI tokens and generated webhooks with their statistics. */
export function IntegrationsContent() {
  const api = useApi(phasetApiRef);
  const catalogApi = useApi(catalogApiRef);
  const [owner, setOwner] = useState('');
  const state = useAsync(async (): Promise<IntegrationRow[]> => {
    const records = await api.listRecords();
    const refs = records.map(record =>
      recordEntityRef({ recordId: record.id, entityRef: record.entityRef }),
    );
    const { items } = await catalogApi.getEntitiesByRefs({ entityRefs: refs });
    return records.map((record, index) => ({
      recordId: record.id,
      entityRef: refs[index],
      owner: ownerOf(items[index]),
    }));
  }, [api, catalogApi]);
  const owners = [
    ...new Set((state.value ?? []).map(r => r.owner).filter(Boolean)),
  ].sort() as string[];
  return (
    <Content>
      <ContentHeader title="Integrations">
        <TextField
          select
          size="small"
          variant="outlined"
          label="Owner"
          value={owner}
          onChange={e => setOwner(e.target.value)}
          style={{ minWidth: 200 }}
          SelectProps={{ SelectDisplayProps: { 'aria-label': 'Owner' } as any }}
        >
          <MenuItem value="">All</MenuItem>
          {owners.map(ref => (
            <MenuItem key={ref} value={ref}>
              {humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'group' })}
            </MenuItem>
          ))}
        </TextField>
      </ContentHeader>
      <AsyncContent {...state}>
        {rows =>
          rows.length === 0 ? (
            <EmptyState
              missing="data"
              title="No Phaset Record yet"
              description="Connect a catalog component to Phaset from its Overview; its tokens and webhooks are listed here."
            />
          ) : (
            <Grid container spacing={3} direction="column">
              {rows
                .filter(row => !owner || row.owner === owner)
                .map(row => (
                  <Grid item xs={12} key={row.recordId}>
                    <RecordWebhooks
                      recordId={row.recordId}
                      title={
                        <Box
                          display="flex"
                          alignItems="baseline"
                          style={{ gap: 12 }}
                        >
                          <EntityRefLink entityRef={row.entityRef} />
                          <Typography variant="body2" color="textSecondary">
                            Record {row.recordId}
                            {row.owner &&
                              ` · owner ${humanizeEntityRef(
                                parseEntityRef(row.owner),
                                { defaultKind: 'group' },
                              )}`}
                          </Typography>
                        </Box>
                      }
                    />
                  </Grid>
                ))}
            </Grid>
          )
        }
      </AsyncContent>
    </Content>
  );
}
