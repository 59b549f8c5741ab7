import {
  Content,
  EmptyState,
  InfoCard,
  Link,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
  RELATION_DEPENDS_ON,
  RELATION_PROVIDES_API,
} from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  PhasetBaseline,
  RecordDependency,
  RecordSlo,
  RecordUpdate,
} from '@internal/backstage-plugin-phaset-common';
import type { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef, PhasetRecord } from '../../api';
import {
  AsyncContent,
  formatDateTime,
  formatRelative,
  NoRecordState,
  SimpleColumn,
  SimpleTable,
  usePhasetRecordId,
} from '../ui';

/** "public_cloud" → "Public cloud". */
function words(value?: string): string | undefined {
  if (!value) return undefined;
  const text = value.replace(/_/g, ' ');
  return text[0].toLocaleUpperCase('en-US') + text.slice(1);
}

/** Drops rows without a value, so the table shows only what the manifest says. */
function present(rows: Record<string, ReactNode>) {
  return Object.fromEntries(
    Object.entries(rows).filter(
      ([, v]) => v !== undefined && v !== null && v !== '',
    ),
  );
}

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef);
}

/** The catalog entity a dependency's Record became (docs/catalog.md, Dependencies). */
function dependencyRef(entity: Entity, target: string): string {
  const namespace = entity.metadata.namespace ?? 'default';
  const derived = `component:${namespace}/${target.toLocaleLowerCase('en-US')}`;
  const related = relationTargets(entity, RELATION_DEPENDS_ON);
  return related.find(ref => ref === derived) ?? derived;
}

function About({
  entity,
  record,
  manifest,
}: {
  entity: Entity;
  record: PhasetRecord;
  manifest: RecordUpdate;
}) {
  const { spec } = manifest;
  const repo = spec.repo;
  const namespace = entity.metadata.namespace ?? 'default';
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  const system =
    typeof entity.spec?.system === 'string' ? entity.spec.system : undefined;
  const ownerRef =
    owner &&
    stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: namespace,
      }),
    );
  const teamRef =
    spec.group && `group:${namespace}/${spec.group.toLocaleLowerCase('en-US')}`;
  return (
    <InfoCard
      title={spec.name}
      subheader={`Record ${record.id} · organisation ${record.organizationId}`}
    >
      <StructuredMetadataTable
        dense
        metadata={present({
          Kind: words(spec.kind),
          Lifecycle: words(spec.lifecycleStage),
          Version: spec.version,
          Description: spec.description,
          Repository: /^https?:\/\//.test(repo) ? (
            <Link to={repo}>{repo}</Link>
          ) : (
            repo
          ),
          Owner: owner ? (
            <EntityRefLink
              entityRef={owner}
              defaultKind="group"
              defaultNamespace={namespace}
            />
          ) : undefined,
          // The manifest's group, when the catalog's owner is another one.
          Team:
            spec.group && teamRef !== ownerRef ? (
              <EntityRefLink entityRef={teamRef!} />
            ) : undefined,
          System: system ? (
            <EntityRefLink
              entityRef={system}
              defaultKind="system"
              defaultNamespace={namespace}
            />
          ) : undefined,
          Domain: spec.domain ? (
            <EntityRefLink
              entityRef={`domain:${namespace}/${spec.domain.toLocaleLowerCase(
                'en-US',
              )}`}
            />
          ) : undefined,
          Tags: manifest.tags?.join(', '),
        })}
      />
    </InfoCard>
  );
}

function Classification({
  manifest,
  baseline,
  record,
}: {
  manifest: RecordUpdate;
  baseline: PhasetBaseline;
  record: PhasetRecord;
}) {
  const { spec } = manifest;
  return (
    <InfoCard title="Classification">
      <StructuredMetadataTable
        dense
        metadata={present({
          'Data sensitivity': words(spec.dataSensitivity),
          'Business criticality': words(spec.businessCriticality),
          'Sourcing model': words(spec.sourcingModel),
          'Deployment model': words(spec.deploymentModel),
          Baseline: `${baseline.name} (${baseline.id})`,
          'Manifest pushed': record.manifestUpdatedAt
            ? `${formatRelative(record.manifestUpdatedAt)} (${formatDateTime(
                record.manifestUpdatedAt,
              )})`
            : undefined,
        })}
      />
    </InfoCard>
  );
}

function Contacts({ manifest }: { manifest: RecordUpdate }) {
  const contacts = manifest.contacts ?? [];
  return (
    <InfoCard title="Contacts">
      {contacts.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No contacts in the manifest.
        </Typography>
      ) : (
        <StructuredMetadataTable
          dense
          metadata={Object.fromEntries(
            contacts.map(c => [
              words(c.relation) ?? 'Contact',
              <Link to={`mailto:${c.email}`}>{c.email}</Link>,
            ]),
          )}
        />
      )}
    </InfoCard>
  );
}

const sloColumns: SimpleColumn<RecordSlo>[] = [
  { title: 'SLO', render: row => row.title },
  { title: 'Type', render: row => words(row.type) },
  { title: 'Target', render: row => row.target },
  { title: 'Period', render: row => `${row.period} days` },
  { title: 'Description', render: row => row.description },
  { title: 'Implementation', render: row => row.implementation ?? '–' },
];

function Dependencies({
  entity,
  manifest,
}: {
  entity: Entity;
  manifest: RecordUpdate;
}) {
  const columns: SimpleColumn<RecordDependency>[] = [
    {
      title: 'Depends on',
      render: row => (
        <EntityRefLink entityRef={dependencyRef(entity, row.target)} />
      ),
    },
    { title: 'Criticality', render: row => words(row.criticality) ?? '–' },
    { title: 'Why', render: row => row.description ?? '–' },
  ];
  return (
    <SimpleTable
      title="Dependencies"
      columns={columns}
      rows={manifest.dependencies ?? []}
      rowKey={row => row.target}
      empty="No dependencies in the manifest."
    />
  );
}

function Apis({
  entity,
  manifest,
}: {
  entity: Entity;
  manifest: RecordUpdate;
}) {
  const provided = relationTargets(entity, RELATION_PROVIDES_API);
  const apis = manifest.api ?? [];
  return (
    <InfoCard title="APIs">
      {apis.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No APIs in the manifest.
        </Typography>
      ) : (
        <StructuredMetadataTable
          dense
          metadata={{
            ...Object.fromEntries(
              apis.map(api => [api.name, api.schemaPath ?? 'no schema given']),
            ),
            ...(provided.length > 0 && {
              'In the catalog': (
                <>
                  {provided.map((ref, i) => (
                    <span key={ref}>
                      {i > 0 && ', '}
                      <EntityRefLink entityRef={ref} />
                    </span>
                  ))}
                </>
              ),
            }),
          }}
        />
      )}
    </InfoCard>
  );
}

function LinksAndMetadata({ manifest }: { manifest: RecordUpdate }) {
  const links = manifest.links ?? [];
  const metadata = manifest.metadata ?? {};
  return (
    <InfoCard title="Links and metadata">
      <StructuredMetadataTable
        dense
        metadata={{
          ...Object.fromEntries(
            links.map(link => [
              link.title,
              /^(https?|mailto):/.test(link.url) ? (
                <Link to={link.url}>{link.url}</Link>
              ) : (
                link.url
              ),
            ]),
          ),
          ...metadata,
        }}
      />
      {links.length === 0 && Object.keys(metadata).length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No links or metadata in the manifest.
        </Typography>
      )}
    </InfoCard>
  );
}

/** The Record tab: the entity's manifest, grouped as a person reads it. */
export function RecordContent() {
  const recordId = usePhasetRecordId();
  const { entity } = useEntity();
  const api = useApi(phasetApiRef);
  const state = useAsync(async () => {
    if (!recordId) return undefined;
    const [record, baseline] = await Promise.all([
      api.getRecord(recordId),
      api.getBaseline(recordId),
    ]);
    return { record, baseline };
  }, [api, recordId]);
  if (!recordId) {
    return <NoRecordState />;
  }
  return (
    <Content noPadding>
      <AsyncContent recordId={recordId} {...state}>
        {({ record, baseline }) => {
          const manifest = record.manifest;
          if (!manifest) {
            return (
              <EmptyState
                missing="data"
                title="No manifest pushed yet"
                description={`Record ${record.id} exists but CI has not pushed its phaset.manifest.json. Post it to /api/phaset/integration/record/${record.organizationId}/${record.id}/<WEBHOOK_TOKEN>.`}
              />
            );
          }
          return (
            <Grid
              container
              spacing={3}
              data-testid={`phaset-record-${getCompoundEntityRef(entity).name}`}
            >
              <Grid item xs={12} md={6}>
                <About entity={entity} record={record} manifest={manifest} />
              </Grid>
              <Grid item xs={12} md={6}>
                <Classification
                  manifest={manifest}
                  baseline={baseline}
                  record={record}
                />
              </Grid>
              <Grid item xs={12} md={6}>
                <Contacts manifest={manifest} />
              </Grid>
              <Grid item xs={12} md={6}>
                <Apis entity={entity} manifest={manifest} />
              </Grid>
              <Grid item xs={12}>
                <SimpleTable
                  title="Service level objectives"
                  columns={sloColumns}
                  rows={manifest.slo ?? []}
                  rowKey={row => row.title}
                  empty="No SLOs in the manifest."
                />
              </Grid>
              <Grid item xs={12}>
                <Dependencies entity={entity} manifest={manifest} />
              </Grid>
              <Grid item xs={12}>
                <LinksAndMetadata manifest={manifest} />
              </Grid>
            </Grid>
          );
        }}
      </AsyncContent>
    </Content>
  );
}
