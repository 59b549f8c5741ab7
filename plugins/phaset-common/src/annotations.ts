/*
 * Catalog annotations written for Phaset records. JSON-valued annotations hold
 * structures that annotations (plain strings) cannot express otherwise.
 */

/** @public */
export const ANNOTATION_PHASET_RECORD_ID = 'phaset.dev/record-id';
/** @public */
export const ANNOTATION_PHASET_ORG_ID = 'phaset.dev/org-id';
/** @public */
export const ANNOTATION_PHASET_BASELINE_ID = 'phaset.dev/baseline-id';
/** @public */
export const ANNOTATION_PHASET_LIFECYCLE_STAGE = 'phaset.dev/lifecycle-stage';
/** @public */
export const ANNOTATION_PHASET_DATA_SENSITIVITY = 'phaset.dev/data-sensitivity';
/** @public */
export const ANNOTATION_PHASET_BUSINESS_CRITICALITY =
  'phaset.dev/business-criticality';
/** @public */
export const ANNOTATION_PHASET_SOURCING_MODEL = 'phaset.dev/sourcing-model';
/** @public */
export const ANNOTATION_PHASET_DEPLOYMENT_MODEL = 'phaset.dev/deployment-model';
/** @public */
export const ANNOTATION_PHASET_VERSION = 'phaset.dev/version';
/** @public */
export const ANNOTATION_PHASET_REPO = 'phaset.dev/repo';
/** JSON array of the record's contacts. @public */
export const ANNOTATION_PHASET_CONTACTS = 'phaset.dev/contacts';
/** JSON array of the record's SLOs. @public */
export const ANNOTATION_PHASET_SLO = 'phaset.dev/slo';
/** Followed by the metadata key, e.g. `phaset.dev/metadata.createdBy`. @public */
export const ANNOTATION_PHASET_METADATA_PREFIX = 'phaset.dev/metadata.';

/** @public */
export const PHASET_MANIFEST_FILENAME = 'phaset.manifest.json';
