import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  ANNOTATION_PHASET_RECORD_ID,
  PHASET_RECORD_EVENT_TOPIC,
  PhasetRecordEvent,
  isPhasetRecordEvent,
} from '@internal/backstage-plugin-phaset-common';
import { PhasetRecordIndex } from '../records/PhasetRecordIndex';
import { CatalogRecord, PhasetRecordReader } from '../records/recordReader';
import {
  PHASET_SYSTEM_LOCATION_KEY,
  entityRefOf,
  isSystemEntity,
  phasetRefreshKey,
  pushedRecordEntities,
} from '../records/recordEntities';

/** @public */
export type PhasetRecordEntityProviderOptions = {
  client: PhasetRecordReader;
  index: PhasetRecordIndex;
  scheduler: SchedulerService;
  events: EventsService;
  logger: LoggerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  namespace?: string;
};

/**
 * Keeps the catalog in step with the Records table of the phaset backend:
 * a full mutation on a schedule (a global task, so only one replica runs it
 * at a time) and a delta for every `phaset.record` event. Records with a
 * manifest and without `entityRef` become entities of their own; Records
 * linked to an existing entity are merged into it by
 * {@link PhasetManifestProcessor}, which this provider tells to reprocess.
 *
 * @public
 */
export class PhasetRecordEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** What this replica last emitted per Record; undefined until its first full sync. */
  private emitted?: Map<string, Entity[]>;

  constructor(private readonly options: PhasetRecordEntityProviderOptions) {}

  getProviderName(): string {
    return 'PhasetRecordEntityProvider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const { scheduler, events, schedule, logger } = this.options;
    await scheduler.scheduleTask({
      id: `${this.getProviderName()}:refresh`,
      ...schedule,
      fn: () => this.fullSync(),
    });
    await events.subscribe({
      id: this.getProviderName(),
      topics: [PHASET_RECORD_EVENT_TOPIC],
      onEvent: async ({ eventPayload }) => {
        if (!isPhasetRecordEvent(eventPayload)) {
          logger.warn(
            `Ignored malformed ${PHASET_RECORD_EVENT_TOPIC} event: ${JSON.stringify(
              eventPayload,
            )}`,
          );
          return;
        }
        await this.applyEvent(eventPayload);
      },
    });
  }

  /** Replaces every entity of this provider with the Records as they are now. */
  async fullSync(): Promise<void> {
    const connection = this.requireConnection();
    const records = await this.options.client.list();
    const changedLinks = this.options.index.replaceAll(records);
    const emitted = new Map<string, Entity[]>();
    for (const record of records) {
      emitted.set(record.id, this.entitiesOf(record));
    }
    const unique = new Map<string, Entity>();
    for (const entity of [...emitted.values()].flat()) {
      unique.set(entityRefOf(entity), entity);
    }
    await connection.applyMutation({
      type: 'full',
      entities: [...unique.values()].map(deferred),
    });
    this.emitted = emitted;
    await this.refreshLinked(changedLinks);
    this.options.logger.info(
      `Phaset: synced ${records.length} Record(s) as ${unique.size} entities`,
    );
  }

  /** Applies one Record's change as a delta. */
  async applyEvent(event: PhasetRecordEvent): Promise<void> {
    if (!this.emitted) {
      // Nothing to diff against on this replica yet.
      await this.fullSync();
      return;
    }
    const connection = this.requireConnection();
    const record =
      event.action === 'deleted'
        ? undefined
        : await this.options.client.get(event.recordId);
    const changedLinks = this.options.index.update(event.recordId, record);
    const before = this.emitted.get(event.recordId) ?? [];
    const after = record ? this.entitiesOf(record) : [];
    if (after.length) {
      this.emitted.set(event.recordId, after);
    } else {
      this.emitted.delete(event.recordId);
    }
    // A System may still come from another Record.
    const stillEmitted = new Set(
      [...this.emitted.values()].flat().map(entityRefOf),
    );
    const removed = before.filter(e => !stillEmitted.has(entityRefOf(e)));
    await connection.applyMutation({
      type: 'delta',
      added: after.map(deferred),
      removed: removed.map(deferred),
    });
    await this.refreshLinked(changedLinks);
  }

  private entitiesOf(record: CatalogRecord): Entity[] {
    if (!record.manifest || record.entityRef) {
      return [];
    }
    try {
      return pushedRecordEntities(
        { ...record, manifest: record.manifest },
        {
          namespace: this.options.namespace,
          resolveDependency: this.options.index.resolveDependency,
        },
      );
    } catch (error) {
      // One bad Record must not keep the others out of the catalog.
      this.options.logger.warn(
        `Phaset: Record ${record.id} yields no entities: ${error}`,
      );
      return [];
    }
  }

  private async refreshLinked(entityRefs: string[]) {
    if (entityRefs.length) {
      await this.requireConnection().refresh({
        keys: entityRefs.map(phasetRefreshKey),
      });
    }
  }

  private requireConnection(): EntityProviderConnection {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected yet`);
    }
    return this.connection;
  }
}

function deferred(entity: Entity): DeferredEntity {
  return {
    entity,
    locationKey: isSystemEntity(entity)
      ? PHASET_SYSTEM_LOCATION_KEY
      : `phaset-record:${entity.metadata.annotations?.[ANNOTATION_PHASET_RECORD_ID]}`,
  };
}
