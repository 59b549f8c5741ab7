import fs from 'fs/promises';
import path from 'path';
import { glob } from 'glob';
import {
  LoggerService,
  UrlReaderService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, isError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
  CatalogProcessorParser,
  CatalogProcessorResult,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_PHASET_ORG_ID,
  ANNOTATION_PHASET_RECORD_ID,
  PHASET_MANIFEST_FILENAME,
  RecordUpdate,
  parseOrIssues,
  manifestFileSchema,
  splitManifestIds,
} from '@internal/backstage-plugin-phaset-common';
import { JsonValue } from '@backstage/types';
import { manifestToEntities } from '../mapping';
import { PhasetRecordIndex } from '../records/PhasetRecordIndex';
import { mergeManifestComponent } from '../records/mergeEntity';
import {
  PHASET_SYSTEM_LOCATION_KEY,
  isSystemEntity,
  phasetRefreshKey,
  pushedRecordEntities,
} from '../records/recordEntities';
import { recordIdForEntity, recordIdForLocation } from '../records/recordIds';

/**
 * On a Component (typically in catalog-info.yaml): path of a
 * phaset.manifest.json, relative to the entity's own file or an absolute
 * URL, whose fields are merged into that Component.
 *
 * @public
 */
export const ANNOTATION_PHASET_MANIFEST = 'phaset.dev/manifest';

const LOCATION_CACHE_KEY = 'location-v1';
const SIBLINGS_CACHE_KEY = 'siblings-v1';
const MANIFEST_CACHE_KEY = 'manifest-v1';
const MAX_LISTED_ISSUES = 5;

/** Emitted results per manifest URL, as last read, with the search's ETag. */
type CachedLocation = {
  etag: string;
  files: Array<{ url: string; results: CatalogProcessorResult[] }>;
};
/** Whether a catalog file next to a manifest claims it, by catalog file URL. */
type CachedSiblings = Record<string, { etag: string; claimed: boolean }>;
type CachedManifest = { etag: string; text: string };

/** @public */
export type PhasetManifestProcessorOptions = {
  reader: UrlReaderService;
  integrations: ScmIntegrationRegistry;
  index: PhasetRecordIndex;
  logger: LoggerService;
  /** Organisation of repository manifests (`phaset.catalog.organization`). */
  organizationId?: string;
  namespace?: string;
  /** Name of the catalog file next to a manifest (`catalog.import.entityFilename`). */
  catalogFilename?: string;
};

function isManifestLocation(location: LocationSpec): boolean {
  if (location.type !== 'file' && location.type !== 'url') {
    return false;
  }
  const target = location.target.split(/[?#]/)[0];
  return path.posix.basename(target) === PHASET_MANIFEST_FILENAME;
}

const errorMessage = (error: unknown) =>
  isError(error) ? error.message : String(error);

/**
 * Reads `phaset.manifest.json` into catalog entities with the shared mapping:
 *
 * - as a location of its own (`url`, incl. globs a URL reader can search, or
 *   `file`, incl. globs), emitting the Record's Component, APIs and System;
 * - through the `phaset.dev/manifest` annotation of an existing Component,
 *   merging into it (the Component wins conflicts);
 * - for a Component that a Record pushed from CI links to (`entityRef`),
 *   merging that Record's manifest the same way.
 *
 * URLs are read like Backstage's UrlReaderProcessor: ETags in the processor
 * cache, cached results re-emitted when the source is not modified. Problems
 * become processing errors on the location or entity.
 *
 * @public
 */
export class PhasetManifestProcessor implements CatalogProcessor {
  private readonly catalogFilename: string;

  constructor(private readonly options: PhasetManifestProcessorOptions) {
    this.catalogFilename = options.catalogFilename ?? 'catalog-info.yaml';
  }

  getProcessorName(): string {
    return 'PhasetManifestProcessor';
  }

  // Before the built-in file and URL readers (priority 20), which would
  // parse the JSON as a YAML entity document and reject it.
  getPriority(): number {
    return 10;
  }

  async readLocation(
    location: LocationSpec,
    optional: boolean,
    emit: CatalogProcessorEmit,
    parser: CatalogProcessorParser,
    cache: CatalogProcessorCache,
  ): Promise<boolean> {
    if (!isManifestLocation(location)) {
      return false;
    }
    await this.options.index.ensureFresh();
    if (location.type === 'file') {
      await this.readFiles(location, optional, emit, parser);
    } else {
      await this.readUrls(location, optional, emit, parser, cache);
    }
    return true;
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
    _originLocation: LocationSpec,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    if (entity.kind !== 'Component') {
      return entity;
    }
    const entityRef = stringifyEntityRef(entity);
    emit(processingResult.refresh(phasetRefreshKey(entityRef)));
    const { index, namespace } = this.options;

    // A manifest pushed from CI is the newest word on a linked entity.
    const linked = await index.linkedRecord(entityRef);
    if (linked?.manifest) {
      const [component, ...children] = pushedRecordEntities(
        { ...linked, manifest: linked.manifest },
        { entityRef, namespace, resolveDependency: index.resolveDependency },
      );
      emitChildren(children, location, emit);
      return mergeManifestComponent(entity, component);
    }

    const annotation =
      entity.metadata.annotations?.[ANNOTATION_PHASET_MANIFEST];
    if (!annotation) {
      // A Record just connected from the UI has no manifest yet: the entity
      // still names it, so its Phaset tabs show (its own annotations win).
      return linked ? withRecordAnnotations(entity, linked) : entity;
    }
    const manifestLocation = this.resolveTarget(annotation, location);
    const text = await this.readManifestText(
      manifestLocation,
      location,
      emit,
      cache,
    );
    if (text === undefined) {
      return entity;
    }
    const recordId =
      entity.metadata.annotations?.[ANNOTATION_PHASET_RECORD_ID] ??
      linked?.id ??
      recordIdForEntity(entity);
    const organizationId =
      linked?.organizationId ??
      entity.metadata.annotations?.[ANNOTATION_PHASET_ORG_ID];
    const outcome = await this.mapManifest(text, manifestLocation, {
      recordId,
      organizationId,
      entityRef,
    });
    if ('error' in outcome) {
      emit(processingResult.inputError(location, outcome.error));
      return entity;
    }
    const [component, ...children] = outcome.entities;
    // Children carry the manifest's location so that relative schema paths
    // resolve against the manifest, wherever the annotation points.
    emitChildren(children, manifestLocation, emit);
    return mergeManifestComponent(entity, component);
  }

  private async readFiles(
    location: LocationSpec,
    optional: boolean,
    emit: CatalogProcessorEmit,
    parser: CatalogProcessorParser,
  ) {
    const matches = await glob(location.target, { windowsPathsNoEscape: true });
    if (!matches.length && !optional) {
      emit(
        processingResult.notFoundError(
          location,
          `${location.type} ${location.target} does not exist`,
        ),
      );
    }
    for (const match of matches.sort()) {
      const fileLocation = { type: 'file', target: path.normalize(match) };
      try {
        const sibling = path.join(path.dirname(match), this.catalogFilename);
        if (
          await this.claimedBy(
            await readFileIfExists(sibling),
            { type: 'file', target: sibling },
            fileLocation,
            parser,
          )
        ) {
          continue;
        }
        const text = await fs.readFile(match, 'utf8');
        for (const result of await this.locationResults(text, fileLocation)) {
          emit(result);
        }
      } catch (error) {
        emit(
          processingResult.generalError(
            fileLocation,
            `${fileLocation.target} could not be read, ${errorMessage(error)}`,
          ),
        );
      }
      emit(processingResult.refresh(`file:${fileLocation.target}`));
    }
  }

  private async readUrls(
    location: LocationSpec,
    optional: boolean,
    emit: CatalogProcessorEmit,
    parser: CatalogProcessorParser,
    cache: CatalogProcessorCache,
  ) {
    const cached = (await cache.get(LOCATION_CACHE_KEY)) as
      | CachedLocation
      | undefined;
    let files: CachedLocation['files'];
    let etag: string | undefined;
    try {
      const response = await this.options.reader.search(location.target, {
        etag: cached?.etag,
      });
      etag = response.etag;
      files = [];
      for (const file of response.files) {
        files.push({
          url: file.url,
          results: await this.locationResults(
            (await file.content()).toString('utf8'),
            { type: 'url', target: file.url },
          ),
        });
      }
      if (!files.length && !optional) {
        emit(
          processingResult.notFoundError(
            location,
            `Unable to read ${location.type}, no matching files found for ${location.target}`,
          ),
        );
      }
    } catch (error) {
      const message = `Unable to read ${location.type}, ${errorMessage(error)}`;
      if (isError(error) && error.name === 'NotModifiedError' && cached) {
        ({ files, etag } = cached);
      } else if (isError(error) && error.name === 'NotFoundError') {
        if (!optional) {
          emit(processingResult.notFoundError(location, message));
        }
        return;
      } else {
        emit(processingResult.generalError(location, message));
        return;
      }
    }

    const siblings: CachedSiblings = {};
    const previousSiblings =
      (await cache.get<CachedSiblings>(SIBLINGS_CACHE_KEY)) ?? {};
    for (const file of files) {
      const fileLocation = { type: 'url', target: file.url };
      const claimed = await this.urlClaimed(
        fileLocation,
        parser,
        previousSiblings,
        siblings,
      );
      if (!claimed) {
        file.results.forEach(emit);
      }
    }
    // Like UrlReaderProcessor: only results without errors are worth reusing.
    if (etag && files.every(f => f.results.every(r => r.type === 'entity'))) {
      await cache.set(LOCATION_CACHE_KEY, { etag, files } as JsonValue);
    }
    await cache.set(SIBLINGS_CACHE_KEY, siblings as JsonValue);
    emit(processingResult.refresh(`${location.type}:${location.target}`));
  }

  /** Whether the catalog file next to a manifest URL merges that manifest. */
  private async urlClaimed(
    manifest: LocationSpec,
    parser: CatalogProcessorParser,
    previous: CachedSiblings,
    next: CachedSiblings,
  ): Promise<boolean> {
    const siblingUrl = this.options.integrations.resolveUrl({
      url: `./${this.catalogFilename}`,
      base: manifest.target,
    });
    const known = previous[siblingUrl];
    try {
      const response = await this.options.reader.readUrl(siblingUrl, {
        etag: known?.etag,
      });
      const claimed = await this.claimedBy(
        await response.buffer(),
        { type: 'url', target: siblingUrl },
        manifest,
        parser,
      );
      if (response.etag) {
        next[siblingUrl] = { etag: response.etag, claimed };
      }
      return claimed;
    } catch (error) {
      if (isError(error) && error.name === 'NotModifiedError' && known) {
        next[siblingUrl] = known;
        return known.claimed;
      }
      // No catalog file (or none readable): the manifest stands alone.
      return false;
    }
  }

  /**
   * A catalog file claims a manifest when one of its entities names that
   * manifest in `phaset.dev/manifest`; the manifest is then merged into that
   * entity and must not also yield an entity of its own.
   */
  private async claimedBy(
    data: Buffer | undefined,
    catalogFile: LocationSpec,
    manifest: LocationSpec,
    parser: CatalogProcessorParser,
  ): Promise<boolean> {
    if (!data) {
      return false;
    }
    for await (const result of parser({ data, location: catalogFile })) {
      const annotation =
        result.type === 'entity'
          ? result.entity.metadata?.annotations?.[ANNOTATION_PHASET_MANIFEST]
          : undefined;
      if (
        annotation &&
        this.resolveTarget(annotation, catalogFile).target === manifest.target
      ) {
        return true;
      }
    }
    return false;
  }

  private resolveTarget(value: string, base: LocationSpec): LocationSpec {
    if (/^https?:\/\//i.test(value)) {
      return { type: 'url', target: value };
    }
    if (base.type === 'file') {
      return {
        type: 'file',
        target: path.resolve(path.dirname(base.target), value),
      };
    }
    return {
      type: 'url',
      target: this.options.integrations.resolveUrl({
        url: value,
        base: base.target,
      }),
    };
  }

  /** The results of a manifest read as a location of its own. */
  private async locationResults(
    text: string,
    location: LocationSpec,
  ): Promise<CatalogProcessorResult[]> {
    const outcome = await this.mapManifest(text, location, {
      recordId: recordIdForLocation(location),
    });
    if ('error' in outcome) {
      return [processingResult.inputError(location, outcome.error)];
    }
    return outcome.entities.map(entity =>
      processingResult.entity(location, entity, systemLocationKey(entity)),
    );
  }

  private async mapManifest(
    text: string,
    location: LocationSpec,
    ids: { recordId: string; organizationId?: string; entityRef?: string },
  ): Promise<{ entities: Entity[] } | { error: string }> {
    const where = `${PHASET_MANIFEST_FILENAME} at ${location.type}:${location.target}`;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { error: `Invalid JSON in ${where}: ${errorMessage(error)}` };
    }
    // A manifest written for Phaset's CI action may name its Record's ids.
    const parsed = parseOrIssues(manifestFileSchema, json);
    if (!parsed.success) {
      const listed = parsed.issues
        .slice(0, MAX_LISTED_ISSUES)
        .map(issue => `${issue.path}: ${issue.message}`);
      const more = parsed.issues.length - listed.length;
      return {
        error: `Invalid ${where}: ${listed.join('; ')}${
          more > 0 ? `; and ${more} more` : ''
        }`,
      };
    }
    const organizationId = ids.organizationId ?? this.options.organizationId;
    if (!organizationId) {
      return {
        error: `No Phaset organisation for ${where}: set phaset.catalog.organization or phaset.organizations`,
      };
    }
    const { manifest } = splitManifestIds(parsed.data);
    try {
      const entities = manifestToEntities(manifest, {
        recordId: ids.recordId,
        organizationId,
        entityRef: ids.entityRef,
        namespace: this.options.namespace,
        resolveDependency: this.options.index.resolveDependency,
      });
      return {
        entities:
          location.type === 'file'
            ? await inlineFileSchemas(entities, manifest, location.target)
            : entities,
      };
    } catch (error) {
      return { error: `${where}: ${errorMessage(error)}` };
    }
  }

  /** Reads an annotated manifest; emits a processing error and returns undefined on failure. */
  private async readManifestText(
    manifest: LocationSpec,
    entityLocation: LocationSpec,
    emit: CatalogProcessorEmit,
    cache: CatalogProcessorCache,
  ): Promise<string | undefined> {
    const notFound = `${ANNOTATION_PHASET_MANIFEST} ${manifest.type}:${manifest.target} does not exist`;
    if (manifest.type === 'file') {
      const data = await readFileIfExists(manifest.target);
      if (!data) {
        emit(processingResult.notFoundError(entityLocation, notFound));
      }
      return data?.toString('utf8');
    }
    const cached = await cache.get<CachedManifest>(MANIFEST_CACHE_KEY);
    try {
      const response = await this.options.reader.readUrl(manifest.target, {
        etag: cached?.etag,
      });
      const text = (await response.buffer()).toString('utf8');
      if (response.etag) {
        await cache.set(MANIFEST_CACHE_KEY, { etag: response.etag, text });
      }
      return text;
    } catch (error) {
      if (isError(error) && error.name === 'NotModifiedError' && cached) {
        await cache.set(MANIFEST_CACHE_KEY, cached);
        return cached.text;
      }
      emit(
        isError(error) && error.name === 'NotFoundError'
          ? processingResult.notFoundError(entityLocation, notFound)
          : processingResult.generalError(
              entityLocation,
              `Unable to read ${manifest.type}:${
                manifest.target
              }, ${errorMessage(error)}`,
            ),
      );
      return undefined;
    }
  }
}

function systemLocationKey(entity: Entity) {
  return isSystemEntity(entity)
    ? { locationKey: PHASET_SYSTEM_LOCATION_KEY }
    : undefined;
}

function emitChildren(
  children: Entity[],
  location: LocationSpec,
  emit: CatalogProcessorEmit,
) {
  for (const child of children) {
    emit(processingResult.entity(location, child, systemLocationKey(child)));
  }
}

async function readFileIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

/**
 * URL readers cannot read local files, so for a manifest on disk a relative
 * `schemaPath` (a leading slash included) is read from the manifest's
 * directory and inlined; paths may not leave that directory.
 */
async function inlineFileSchemas(
  entities: Entity[],
  manifest: RecordUpdate,
  manifestPath: string,
): Promise<Entity[]> {
  const dir = path.dirname(manifestPath);
  // The mapping emits the Component, then one API per api[] item, in order.
  const apis = manifest.api ?? [];
  return Promise.all(
    entities.map(async (entity, position) => {
      const schemaPath = apis[position - 1]?.schemaPath;
      if (
        entity.kind !== 'API' ||
        !schemaPath ||
        /^[a-z][a-z0-9+.-]*:/i.test(schemaPath)
      ) {
        return entity;
      }
      const field = `api[${position - 1}].schemaPath`;
      let definition: string;
      try {
        const file = resolveSafeChildPath(dir, schemaPath.replace(/^\/+/, ''));
        definition = await fs.readFile(file, 'utf8');
      } catch (error) {
        throw new InputError(
          `${field} "${schemaPath}" could not be read: ${errorMessage(error)}`,
        );
      }
      return { ...entity, spec: { ...entity.spec, definition } };
    }),
  );
}

function withRecordAnnotations(
  entity: Entity,
  record: { id: string; organizationId: string },
): Entity {
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        [ANNOTATION_PHASET_RECORD_ID]: record.id,
        [ANNOTATION_PHASET_ORG_ID]: record.organizationId,
        ...entity.metadata.annotations,
      },
    },
  };
}
