import {
  DEFAULT_NAMESPACE,
  Entity,
  EntityLink,
  makeValidator,
  parseEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_PHASET_BASELINE_ID,
  ANNOTATION_PHASET_BUSINESS_CRITICALITY,
  ANNOTATION_PHASET_CONTACTS,
  ANNOTATION_PHASET_DATA_SENSITIVITY,
  ANNOTATION_PHASET_DEPLOYMENT_MODEL,
  ANNOTATION_PHASET_LIFECYCLE_STAGE,
  ANNOTATION_PHASET_METADATA_PREFIX,
  ANNOTATION_PHASET_ORG_ID,
  ANNOTATION_PHASET_RECORD_ID,
  ANNOTATION_PHASET_REPO,
  ANNOTATION_PHASET_SLO,
  ANNOTATION_PHASET_SOURCING_MODEL,
  ANNOTATION_PHASET_VERSION,
  LifecycleStage,
  LinkIcon,
  RecordApi,
  RecordLink,
  RecordUpdate,
  isValidRecordId,
} from '@internal/backstage-plugin-phaset-common';
import {
  ANNOTATION_PHASET_API,
  ANNOTATION_PHASET_BASELINE,
  ANNOTATION_PHASET_DEPENDENCIES,
  ANNOTATION_PHASET_DOMAIN_ID,
  ANNOTATION_PHASET_GROUP_ID,
  ANNOTATION_PHASET_LINKS,
  ANNOTATION_PHASET_METADATA,
  ANNOTATION_PHASET_SYSTEM_ID,
  ANNOTATION_PHASET_TAGS,
} from './annotations';
import {
  apiEntityName,
  phasetIdEntityRef,
  recordEntityName,
  recordEntityRef,
} from './names';
import { mapTags } from './tags';

const validators = makeValidator();

/** @public */
export interface ManifestToEntitiesOptions {
  /** The Record this manifest belongs to (10 letters or digits). */
  recordId: string;
  /** The Phaset organization of the Record. */
  organizationId: string;
  /** Namespace of the produced entities and of derived refs; `default` if omitted. */
  namespace?: string;
  /**
   * An existing Component (e.g. from a catalog-info.yaml next to the
   * manifest) that the main entity should enrich: its namespace and name are
   * used instead of the derived ones.
   */
  entityRef?: string;
  /** Entity ref of the entity of another Record, if known. */
  resolveDependency?: (recordId: string) => string | undefined;
  /** Owner when the manifest names no group, and of System entities. Defaults to `group:<namespace>/unknown`. */
  defaultOwner?: string;
}

/** Used for spec.type and spec.lifecycle when the manifest says nothing. */
const UNKNOWN = 'unknown';

const LIFECYCLES: Record<LifecycleStage, string> = {
  concept: 'experimental',
  planning: 'experimental',
  development: 'experimental',
  testing: 'experimental',
  production: 'production',
  maintenance: 'production',
  deprecated: 'deprecated',
  retired: 'deprecated',
};

/*
 * Keys of Backstage's default system icons where one fits; `web` and `task`
 * have none and fall back to the link globe unless the app registers them.
 */
const LINK_ICON_KEYS: Record<LinkIcon, string | undefined> = {
  web: 'web',
  api: 'kind:api',
  service: 'kind:component',
  documentation: 'docs',
  task: 'task',
  dashboard: 'dashboard',
  other: undefined,
};

/**
 * The Backstage lifecycle for a Phaset lifecycle stage.
 *
 * @public
 */
export function lifecycleFor(stage: LifecycleStage | undefined): string {
  return stage ? LIFECYCLES[stage] : UNKNOWN;
}

/**
 * Guesses the Backstage API type from the schema file name; the manifest
 * does not state it.
 *
 * @public
 */
export function apiTypeFor(schemaPath: string | undefined): string {
  const path = schemaPath?.split(/[?#]/)[0].toLowerCase();
  if (!path) {
    return UNKNOWN;
  }
  if (/\.(graphql|graphqls|gql)$/.test(path)) {
    return 'graphql';
  }
  if (path.endsWith('.proto')) {
    return 'grpc';
  }
  if (path.includes('asyncapi')) {
    return 'asyncapi';
  }
  return /\.(json|ya?ml)$/.test(path) ? 'openapi' : UNKNOWN;
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

function hasExtraProperties(value: object, known: readonly string[]): boolean {
  return Object.keys(value).some(key => !known.includes(key));
}

// Backstage accepts any parseable URL; only schemes a browser link should follow are kept.
function isLinkable(url: string): boolean {
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

function mapLink(link: RecordLink): EntityLink {
  const title = link.title.trim() ? link.title : undefined;
  const icon = link.icon && LINK_ICON_KEYS[link.icon];
  return {
    url: link.url,
    ...(title && { title }),
    ...(icon && { icon }),
    // `type` keeps Phaset's own link category, which the icon key may not.
    ...(link.icon && { type: link.icon }),
  };
}

function mapMetadata(
  metadata: Record<string, string>,
  annotations: Record<string, string>,
) {
  const unencodable: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    const annotationKey = `${ANNOTATION_PHASET_METADATA_PREFIX}${key}`;
    if (validators.isValidAnnotationKey(annotationKey)) {
      annotations[annotationKey] = value;
    } else {
      unencodable[key] = value;
    }
  }
  if (Object.keys(unencodable).length) {
    annotations[ANNOTATION_PHASET_METADATA] = json(unencodable);
  }
}

function mainEntityIdentity(
  entityRef: string | undefined,
  recordId: string,
  namespace: string,
) {
  if (!entityRef) {
    return { namespace, name: recordEntityName(recordId) };
  }
  const ref = parseEntityRef(entityRef, {
    defaultKind: 'component',
    defaultNamespace: namespace,
  });
  if (ref.kind.toLocaleLowerCase('en-US') !== 'component') {
    throw new InputError(
      `A Phaset manifest can only enrich a Component, not ${entityRef}`,
    );
  }
  return { namespace: ref.namespace, name: ref.name };
}

/**
 * Maps a `phaset.manifest.json` (RecordUpdate) to catalog entities: the
 * Record's Component first, then one API per `api[]` item, then a System when
 * the manifest names both a system and a domain. Pure and deterministic; the
 * rules are documented in docs/catalog.md.
 *
 * @public
 */
export function manifestToEntities(
  manifest: RecordUpdate,
  options: ManifestToEntitiesOptions,
): Entity[] {
  const { recordId, organizationId } = options;
  if (!isValidRecordId(recordId)) {
    throw new InputError(
      `Invalid Phaset Record ID "${recordId}", expected 10 letters or digits`,
    );
  }
  if (!organizationId.trim()) {
    throw new InputError('A Phaset organization ID is required');
  }

  const { spec } = manifest;
  // Derived refs must not depend on which entity a manifest enriches.
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const identity = mainEntityIdentity(options.entityRef, recordId, namespace);
  const defaultOwner = options.defaultOwner ?? `group:${namespace}/${UNKNOWN}`;
  const owner = spec.group
    ? phasetIdEntityRef('group', spec.group, namespace)
    : defaultOwner;
  const system = spec.system
    ? phasetIdEntityRef('system', spec.system, namespace)
    : undefined;
  const lifecycle = lifecycleFor(spec.lifecycleStage);
  const origin = {
    [ANNOTATION_PHASET_RECORD_ID]: recordId,
    [ANNOTATION_PHASET_ORG_ID]: organizationId,
  };

  const apis = mapApis(manifest.api ?? [], {
    recordId,
    namespace,
    owner,
    system,
    lifecycle,
    origin,
  });

  const annotations: Record<string, string> = {
    ...origin,
    [ANNOTATION_PHASET_REPO]: spec.repo,
  };
  const optionalAnnotations: Array<[string, string | undefined]> = [
    [ANNOTATION_PHASET_VERSION, spec.version],
    [ANNOTATION_PHASET_LIFECYCLE_STAGE, spec.lifecycleStage],
    [ANNOTATION_PHASET_GROUP_ID, spec.group],
    [ANNOTATION_PHASET_SYSTEM_ID, spec.system],
    [ANNOTATION_PHASET_DOMAIN_ID, spec.domain],
    [ANNOTATION_PHASET_DATA_SENSITIVITY, spec.dataSensitivity],
    [ANNOTATION_PHASET_BUSINESS_CRITICALITY, spec.businessCriticality],
    [ANNOTATION_PHASET_SOURCING_MODEL, spec.sourcingModel],
    [ANNOTATION_PHASET_DEPLOYMENT_MODEL, spec.deploymentModel],
    [ANNOTATION_PHASET_BASELINE_ID, manifest.baseline?.id],
  ];
  for (const [key, value] of optionalAnnotations) {
    if (value !== undefined) {
      annotations[key] = value;
    }
  }
  if (manifest.baseline && hasExtraProperties(manifest.baseline, ['id'])) {
    annotations[ANNOTATION_PHASET_BASELINE] = json(manifest.baseline);
  }
  if (manifest.contacts?.length) {
    annotations[ANNOTATION_PHASET_CONTACTS] = json(manifest.contacts);
  }
  if (manifest.slo?.length) {
    annotations[ANNOTATION_PHASET_SLO] = json(manifest.slo);
  }
  // dependsOn only holds refs; description and criticality live here.
  if (manifest.dependencies?.length) {
    annotations[ANNOTATION_PHASET_DEPENDENCIES] = json(manifest.dependencies);
  }
  mapMetadata(manifest.metadata ?? {}, annotations);

  const { tags, labels, verbatim } = mapTags(manifest.tags ?? []);
  if (!verbatim) {
    annotations[ANNOTATION_PHASET_TAGS] = json(manifest.tags);
  }

  const links: EntityLink[] = [];
  const unlinkable: RecordLink[] = [];
  for (const link of manifest.links ?? []) {
    if (isLinkable(link.url)) {
      links.push(mapLink(link));
    } else {
      unlinkable.push(link);
    }
  }
  if (unlinkable.length) {
    annotations[ANNOTATION_PHASET_LINKS] = json(unlinkable);
  }

  const dependsOn = mapDependencies(manifest, options, namespace);

  const component: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: identity.name,
      namespace: identity.namespace,
      title: spec.name,
      ...(spec.description && { description: spec.description }),
      ...(Object.keys(labels).length && { labels }),
      annotations,
      ...(tags.length && { tags }),
      ...(links.length && { links }),
    },
    spec: {
      type: spec.kind ?? UNKNOWN,
      lifecycle,
      owner,
      ...(system && { system }),
      ...(apis.length && {
        providesApis: apis.map(api => `api:${namespace}/${api.metadata.name}`),
      }),
      ...(dependsOn.length && { dependsOn }),
    },
  };

  const entities = [component, ...apis];
  if (spec.system && spec.domain) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: spec.system.toLowerCase(),
        namespace,
        // No record id: every Record naming this system yields the same entity.
        annotations: {
          [ANNOTATION_PHASET_ORG_ID]: organizationId,
          [ANNOTATION_PHASET_SYSTEM_ID]: spec.system,
          [ANNOTATION_PHASET_DOMAIN_ID]: spec.domain,
        },
      },
      spec: {
        owner: defaultOwner,
        domain: phasetIdEntityRef('domain', spec.domain, namespace),
      },
    });
  }
  return entities;
}

function mapDependencies(
  manifest: RecordUpdate,
  options: ManifestToEntitiesOptions,
  namespace: string,
): string[] {
  const refs: string[] = [];
  for (const { target } of manifest.dependencies ?? []) {
    // A target that is not a Record id can never resolve; it stays in the annotation only.
    const ref =
      options.resolveDependency?.(target) ??
      (isValidRecordId(target)
        ? recordEntityRef(target, namespace)
        : undefined);
    if (ref && !refs.includes(ref)) {
      refs.push(ref);
    }
  }
  return refs;
}

function mapApis(
  items: readonly RecordApi[],
  context: {
    recordId: string;
    namespace: string;
    owner: string;
    system: string | undefined;
    lifecycle: string;
    origin: Record<string, string>;
  },
): Entity[] {
  const taken = new Set<string>();
  return items.map((item, index) => {
    const name = apiEntityName(context.recordId, item.name, index, taken);
    taken.add(name);
    const annotations = { ...context.origin };
    if (hasExtraProperties(item, ['name', 'schemaPath'])) {
      annotations[ANNOTATION_PHASET_API] = json(item);
    }
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name,
        namespace: context.namespace,
        title: item.name,
        annotations,
      },
      spec: {
        type: apiTypeFor(item.schemaPath),
        lifecycle: context.lifecycle,
        owner: context.owner,
        ...(context.system && { system: context.system }),
        // Resolved by the catalog's placeholder processor; a relative path
        // resolves against the entity's location.
        definition: item.schemaPath
          ? { $text: item.schemaPath }
          : 'No schemaPath was given for this API in phaset.manifest.json.',
      },
    };
  });
}
