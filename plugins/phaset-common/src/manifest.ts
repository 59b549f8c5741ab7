import { z } from 'zod';

/*
 * The `RecordUpdate` schema of Phaset's Integration API contract
 * (`phaset-integration.openapi.yml`), which is also the shape of
 * `phaset.manifest.json`. The contract sets `additionalProperties: false` only
 * on RecordUpdate, Spec and LinkItem; every other object is loose so that
 * properties a caller sends are kept rather than silently dropped.
 */

/** Values of `spec.kind`. @public */
export const RECORD_KINDS = [
  'service',
  'api',
  'component',
  'cots',
  'product',
  'external',
  'other',
] as const;

/** Values of `spec.lifecycleStage`. @public */
export const LIFECYCLE_STAGES = [
  'concept',
  'planning',
  'development',
  'testing',
  'production',
  'maintenance',
  'deprecated',
  'retired',
] as const;

/** Values of `spec.dataSensitivity`. @public */
export const DATA_SENSITIVITIES = [
  'public',
  'internal',
  'secret',
  'other',
] as const;

/** Values of `spec.businessCriticality`. @public */
export const BUSINESS_CRITICALITIES = [
  'critical',
  'high',
  'medium',
  'low',
  'auxiliary',
] as const;

/** Values of `spec.sourcingModel`. @public */
export const SOURCING_MODELS = [
  'cots',
  'modified_cots',
  'open_source',
  'custom',
  'outsourced',
  'legacy',
] as const;

/** Values of `spec.deploymentModel`. @public */
export const DEPLOYMENT_MODELS = [
  'onpremises',
  'private_cloud',
  'public_cloud',
  'hybrid_cloud',
  'multi_cloud',
  'edge',
  'saas',
] as const;

/** Values of `dependencies[].criticality` (a separate enum in the contract). @public */
export const DEPENDENCY_CRITICALITIES = [
  'critical',
  'high',
  'medium',
  'low',
  'auxiliary',
] as const;

/** Values of `slo[].type`. @public */
export const SLO_TYPES = [
  'latency',
  'availability',
  'correctness',
  'other',
] as const;

/** Values of `links[].icon`. @public */
export const LINK_ICONS = [
  'web',
  'api',
  'service',
  'documentation',
  'task',
  'dashboard',
  'other',
] as const;

/** @public */
export type RecordKind = (typeof RECORD_KINDS)[number];
/** @public */
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
/** @public */
export type DataSensitivity = (typeof DATA_SENSITIVITIES)[number];
/** @public */
export type BusinessCriticality = (typeof BUSINESS_CRITICALITIES)[number];
/** @public */
export type SourcingModel = (typeof SOURCING_MODELS)[number];
/** @public */
export type DeploymentModel = (typeof DEPLOYMENT_MODELS)[number];
/** @public */
export type DependencyCriticality = (typeof DEPENDENCY_CRITICALITIES)[number];
/** @public */
export type SloType = (typeof SLO_TYPES)[number];
/** @public */
export type LinkIcon = (typeof LINK_ICONS)[number];

/** Phaset record ids are 10 letters or digits. @public */
export const RECORD_ID_PATTERN = /^[A-Za-z0-9]{10}$/;

/** @public */
export function isValidRecordId(value: unknown): value is string {
  return typeof value === 'string' && RECORD_ID_PATTERN.test(value);
}

const text = (min: number, max: number) => z.string().min(min).max(max);

// Group, system and domain ids: the contract states min, max and pattern.
const eightCharId = () =>
  text(8, 8).regex(/^[a-zA-Z0-9]{8}$/, {
    error: 'Must be an 8-character id of letters and digits',
  });

/** @public */
export const recordSpecSchema = z.strictObject({
  repo: text(1, 500),
  name: text(1, 500),
  description: text(1, 1500).optional(),
  kind: z.enum(RECORD_KINDS).optional(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES).optional(),
  version: text(1, 500).optional(),
  group: eightCharId().optional(),
  system: eightCharId().optional(),
  domain: eightCharId().optional(),
  dataSensitivity: z.enum(DATA_SENSITIVITIES).optional(),
  businessCriticality: z.enum(BUSINESS_CRITICALITIES).optional(),
  sourcingModel: z.enum(SOURCING_MODELS).optional(),
  deploymentModel: z.enum(DEPLOYMENT_MODELS).optional(),
});

/** @public */
export const recordBaselineRefSchema = z.looseObject({ id: z.string() });

/** @public */
export const recordContactSchema = z.looseObject({
  email: z.email({ error: 'Must be a valid email address' }).min(1).max(50),
  relation: text(1, 50).optional(),
});

/** @public */
export const recordDependencySchema = z.looseObject({
  target: text(10, 10),
  description: text(1, 300).optional(),
  criticality: z.enum(DEPENDENCY_CRITICALITIES).optional(),
});

/** @public */
export const recordSloSchema = z.looseObject({
  title: text(1, 500),
  description: text(1, 1500),
  type: z.enum(SLO_TYPES),
  implementation: text(1, 1500).optional(),
  target: text(1, 500),
  // Days; the contract says `number`, so fractions are allowed.
  period: z.number().min(1).max(365),
});

/** @public */
export const recordApiSchema = z.looseObject({
  name: text(1, 500),
  schemaPath: text(1, 500).optional(),
});

/** @public */
export const recordLinkSchema = z.strictObject({
  url: text(1, 500),
  title: text(1, 500),
  icon: z.enum(LINK_ICONS).optional(),
});

/** @public */
export const recordTagSchema = text(1, 50).regex(/^[a-zA-Z0-9:._~-]*$/, {
  error: 'Must contain only letters, digits and : . _ ~ -',
});

/** @public */
export const recordMetadataSchema = z.record(z.string(), text(1, 500));

/** The `RecordUpdate` body, i.e. the content of `phaset.manifest.json`. @public */
export const recordUpdateSchema = z.strictObject({
  spec: recordSpecSchema,
  api: z.array(recordApiSchema).max(20).optional(),
  baseline: recordBaselineRefSchema.optional(),
  contacts: z.array(recordContactSchema).max(3).optional(),
  // The contract sets no maxItems on dependencies.
  dependencies: z.array(recordDependencySchema).optional(),
  links: z.array(recordLinkSchema).max(20).optional(),
  metadata: recordMetadataSchema.optional(),
  slo: z.array(recordSloSchema).max(20).optional(),
  tags: z.array(recordTagSchema).max(20).optional(),
});

/** @public */
export type RecordUpdate = z.infer<typeof recordUpdateSchema>;

/**
 * The top-level ids Phaset's CI action reads from `phaset.manifest.json` when
 * its `org-id` and `record-id` inputs are left out; it then pushes the file
 * with them. They address the Record and are not part of its manifest.
 *
 * @public
 */
export const MANIFEST_ID_FIELDS = ['organizationId', 'id'] as const;

/**
 * `phaset.manifest.json` as a file or as CI pushes it: a `RecordUpdate` that
 * may also carry {@link MANIFEST_ID_FIELDS}.
 *
 * @public
 */
export const manifestFileSchema = recordUpdateSchema.extend({
  organizationId: text(1, 500).optional(),
  id: text(1, 500).optional(),
});

/** @public */
export type ManifestFile = z.infer<typeof manifestFileSchema>;

/** The ids a manifest file names, and its manifest without them. @public */
export function splitManifestIds(file: ManifestFile): {
  ids: { organizationId?: string; id?: string };
  manifest: RecordUpdate;
} {
  const { organizationId, id, ...manifest } = file;
  const ids = {
    ...(organizationId !== undefined ? { organizationId } : {}),
    ...(id !== undefined ? { id } : {}),
  };
  return { ids, manifest };
}
/** @public */
export type RecordSpec = z.infer<typeof recordSpecSchema>;
/** @public */
export type RecordBaselineRef = z.infer<typeof recordBaselineRefSchema>;
/** @public */
export type RecordContact = z.infer<typeof recordContactSchema>;
/** @public */
export type RecordDependency = z.infer<typeof recordDependencySchema>;
/** @public */
export type RecordSlo = z.infer<typeof recordSloSchema>;
/** @public */
export type RecordApi = z.infer<typeof recordApiSchema>;
/** @public */
export type RecordLink = z.infer<typeof recordLinkSchema>;
/** @public */
export type RecordMetadata = z.infer<typeof recordMetadataSchema>;
