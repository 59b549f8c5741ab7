import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogRecord, PhasetRecordReader } from './recordReader';

const DEFAULT_MAX_AGE_MS = 60_000;

function normalizeRef(entityRef: string): string {
  return stringifyEntityRef(
    parseEntityRef(entityRef, { defaultKind: 'component' }),
  ).toLocaleLowerCase('en-US');
}

/**
 * Records that are linked to an existing entity (`entityRef`), by that
 * entity's ref. The entity provider keeps it current on the replica that
 * syncs or receives an event; other replicas reload it when it is older
 * than `maxAgeMs`, so a change reaches them within that time.
 *
 * @public
 */
export class PhasetRecordIndex {
  readonly #client: PhasetRecordReader;
  readonly #logger: LoggerService;
  readonly #maxAgeMs: number;
  #byEntityRef = new Map<string, CatalogRecord>();
  #entityRefById = new Map<string, string>();
  #loadedAt = -Infinity;
  #loading?: Promise<void>;

  constructor(options: {
    client: PhasetRecordReader;
    logger: LoggerService;
    maxAgeMs?: number;
  }) {
    this.#client = options.client;
    this.#logger = options.logger;
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  }

  /**
   * Replaces the whole index; returns the entity refs whose linked Record
   * appeared, changed or disappeared.
   */
  replaceAll(records: CatalogRecord[]): string[] {
    const before = this.#byEntityRef;
    this.#byEntityRef = new Map();
    this.#entityRefById = new Map();
    for (const record of records) {
      this.#add(record);
    }
    this.#loadedAt = Date.now();
    const refs = new Set([...before.keys(), ...this.#byEntityRef.keys()]);
    return [...refs].filter(
      ref =>
        JSON.stringify(before.get(ref)) !==
        JSON.stringify(this.#byEntityRef.get(ref)),
    );
  }

  /** Applies one Record's change; returns the entity refs it affects. */
  update(recordId: string, record: CatalogRecord | undefined): string[] {
    const previousRef = this.#entityRefById.get(recordId);
    if (previousRef) {
      this.#byEntityRef.delete(previousRef);
      this.#entityRefById.delete(recordId);
    }
    if (record) {
      this.#add(record);
    }
    const currentRef = this.#entityRefById.get(recordId);
    return [...new Set([previousRef, currentRef])].filter(
      (ref): ref is string => ref !== undefined,
    );
  }

  /** The Record linked to this entity, reloading the index if it is stale. */
  async linkedRecord(entityRef: string): Promise<CatalogRecord | undefined> {
    await this.ensureFresh();
    return this.#byEntityRef.get(normalizeRef(entityRef));
  }

  /** The linked entity of another Record, for `dependsOn`. */
  readonly resolveDependency = (recordId: string): string | undefined =>
    this.#entityRefById.get(recordId);

  async ensureFresh(): Promise<void> {
    if (Date.now() - this.#loadedAt < this.#maxAgeMs) {
      return;
    }
    this.#loading ??= this.#client
      .list()
      .then(records => {
        this.replaceAll(records);
      })
      .catch(error => {
        // Keep what we have and retry after maxAgeMs rather than on every entity.
        this.#loadedAt = Date.now();
        this.#logger.warn(`Could not load Phaset Records: ${error}`);
      })
      .finally(() => {
        this.#loading = undefined;
      });
    await this.#loading;
  }

  #add(record: CatalogRecord) {
    if (!record.entityRef) {
      return;
    }
    const ref = normalizeRef(record.entityRef);
    this.#byEntityRef.set(ref, record);
    this.#entityRefById.set(record.id, ref);
  }
}
