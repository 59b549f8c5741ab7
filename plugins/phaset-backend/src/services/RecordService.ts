import { randomInt } from 'crypto';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  MANIFEST_ID_FIELDS,
  manifestFileSchema,
  PhasetRecordEvent,
  RecordUpdate,
  splitManifestIds,
  ValidationIssue,
} from '@internal/backstage-plugin-phaset-common';
import { PhasetConfig } from '../config';
import { Page, PageRequest } from '../database/paging';
import { RecordStore, StoredRecord } from '../database/RecordStore';
import { TokenService } from './TokenService';
import { BaselineService } from './BaselineService';
import { parseOrThrow, ValidationError } from './ValidationError';

const ID_ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new Phaset-style Record id: 10 random [A-Za-z0-9] characters. */
export function generateRecordId(): string {
  let id = '';
  for (let i = 0; i < 10; i++) {
    id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  }
  return id;
}

/** The canonical form of an entity reference, e.g. `component:default/x`. */
function normalizeEntityRef(value: string | undefined): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch (error) {
    throw new InputError(`entityRef: ${(error as Error).message}`);
  }
}

/**
 * Tells listeners (the catalog module, through the events service) that a
 * Record changed. Must not throw: the change is already stored.
 */
export type RecordChangeListener = (event: PhasetRecordEvent) => Promise<void>;

/** Records: registration, manifests and the integration token check. */
export class RecordService {
  private readonly baselines: BaselineService;

  constructor(
    private readonly store: RecordStore,
    private readonly tokens: TokenService,
    private readonly config: PhasetConfig,
    private readonly onChange: RecordChangeListener = async () => {},
  ) {
    this.baselines = new BaselineService(config);
  }

  /** Registers the Records of app-config and their tokens (idempotent). */
  async syncFromConfig(): Promise<void> {
    for (const record of this.config.records) {
      await this.store.upsert({
        id: record.id,
        organizationId: record.organizationId,
        entityRef: normalizeEntityRef(record.entityRef),
        origin: 'config',
      });
      await this.tokens.syncFromConfig(record.id, record.tokens);
    }
  }

  /** Registers a Record of a configured organisation; `id` is generated when left out. */
  async create(input: {
    organizationId: string;
    id?: string;
    entityRef?: string;
  }): Promise<StoredRecord> {
    const { organizationId } = input;
    if (!this.config.organizations.has(organizationId)) {
      throw new InputError(
        `organization: must be one of the configured organizations (${[
          ...this.config.organizations.keys(),
        ].join(', ')})`,
      );
    }
    const entityRef = normalizeEntityRef(input.entityRef);
    const id = input.id ?? generateRecordId();
    if (
      !(await this.store.create({
        id,
        organizationId,
        entityRef,
        origin: 'api',
      }))
    ) {
      throw new ConflictError(`id: Record '${id}' exists`);
    }
    if (entityRef) {
      // The catalog links the entity at once (its Phaset tabs appear).
      await this.onChange({ recordId: id, action: 'updated' });
    }
    return (await this.store.get(id))!;
  }

  list(
    filter: { organizationId?: string },
    page: PageRequest,
  ): Promise<Page<StoredRecord>> {
    return this.store.page(filter, page);
  }

  async get(id: string): Promise<StoredRecord> {
    const record = await this.store.get(id);
    if (!record) {
      throw new NotFoundError(`No Record '${id}'`);
    }
    return record;
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.delete(id))) {
      throw new NotFoundError(`No Record '${id}'`);
    }
    // Its tokens stop working on this instance at once, not after the cache's TTL.
    this.tokens.forgetRecord(id);
    await this.onChange({ recordId: id, action: 'deleted' });
  }

  /**
   * Opens an integration call: the Record must exist in that organisation and
   * the token must be one of its own. Every failure is the same 401, so the
   * URL reveals nothing about which part was wrong.
   */
  async authenticateIntegration(
    organizationId: string,
    recordId: string,
    token: string,
  ): Promise<{ record: StoredRecord; tokenId: string }> {
    const record = await this.store.get(recordId);
    if (!record || record.organizationId !== organizationId) {
      throw this.tokens.refusal();
    }
    const tokenId = await this.tokens.authenticate(recordId, token);
    return { record, tokenId };
  }

  /**
   * Validates and stores a manifest; nothing changes when it is invalid. The
   * top-level `organizationId` and `id` Phaset's CI action may send must be
   * the URL's and are not stored; a named Baseline must exist, or CI would
   * fetch a 404 for it and StandardLint would silently skip its checks.
   */
  async applyManifest(
    record: StoredRecord,
    body: unknown,
    raw: string,
  ): Promise<RecordUpdate> {
    const { ids, manifest } = splitManifestIds(
      parseOrThrow(manifestFileSchema, body),
    );
    const issues: ValidationIssue[] = [];
    const urlIds = { organizationId: record.organizationId, id: record.id };
    for (const field of MANIFEST_ID_FIELDS) {
      if (ids[field] !== undefined && ids[field] !== urlIds[field]) {
        issues.push({
          path: field,
          message: `Must be the ${field} in the URL ('${urlIds[field]}') when present, got '${ids[field]}'`,
        });
      }
    }
    const baselineId = manifest.baseline?.id;
    if (baselineId !== undefined && !this.baselines.accepts(baselineId)) {
      issues.push({
        path: 'baseline.id',
        message: `No Baseline '${baselineId}'; the Baselines are: ${this.baselines
          .acceptedIds()
          .join(', ')}`,
      });
    }
    if (issues.length > 0) {
      throw new ValidationError(issues);
    }
    await this.store.setManifest(record.id, manifest, raw);
    await this.onChange({ recordId: record.id, action: 'updated' });
    return manifest;
  }
}
