/**
 * The plugin's tables: their names, their row types and the columns of
 * `phaset_events`, written once here. Each table is written by one store
 * (named below); a Record's rows in the others go with it through their
 * foreign keys (ON DELETE CASCADE, migration 20261124110000).
 */

/** Where a Record was registered: app-config or the REST API. */
export type RecordOrigin = 'config' | 'api';

export const TABLES = {
  /** RecordStore. */
  records: 'phaset_records',
  /** TokenStore: a Record's tokens (generated webhooks) and their delivery counts. */
  tokens: 'phaset_tokens',
  /** StandardsStore. */
  standardsResults: 'phaset_standards_results',
  /** ReviewStore: Reviews of a Record, every one kept. */
  reviews: 'phaset_reviews',
  /** EventStore: accepted deliveries as received. */
  rawEvents: 'phaset_raw_events',
  /** EventStore: normalised events; MetricsStore reads them. */
  events: 'phaset_events',
  /**
   * DoraFactStore: DORA facts, folded from the events after ingestion has
   * acknowledged them; MetricsStore reads them once folded. Times are epoch
   * milliseconds.
   */
  doraDeployments: 'phaset_dora_deployments',
  doraChanges: 'phaset_dora_changes',
  doraIncidents: 'phaset_dora_incidents',
  /**
   * The facts' outbox: EventStore adds a row per new DORA event in its
   * ingestion transaction; DoraFactStore folds and deletes them.
   */
  doraPending: 'phaset_dora_pending',
} as const;

/** A timestamp as the drivers return it (SQLite: epoch milliseconds). */
export type DbTime = Date | string | number;

export type RecordRow = {
  id: string;
  organization_id: string;
  entity_ref: string | null;
  origin: RecordOrigin;
  manifest: string | null;
  manifest_raw: string | null;
  manifest_updated_at: DbTime | null;
  created_at: DbTime;
  updated_at: DbTime;
};

export type TokenRow = {
  id: string;
  record_id: string;
  name: string;
  token_hash: string;
  origin: RecordOrigin;
  created_at: DbTime;
  last_used_at: DbTime | null;
  source: string;
  signing_secret: string | null;
  deliveries_accepted: number | string;
  deliveries_rejected: number | string;
  last_delivery_at: DbTime | null;
};

export type StandardsResultRow = {
  id: number | string;
  record_id: string;
  baseline_id: string;
  passes: number;
  warnings: number;
  failures: number;
  results: string;
  raw: string;
  created_at: DbTime;
};

export type ReviewRow = {
  id: number | string;
  record_id: string;
  author: string;
  answers: string;
  score: number | null;
  created_at: DbTime;
};

export type RawEventRow = {
  id: string;
  record_id: string;
  token_id: string;
  source: string;
  delivery_id: string | null;
  /**
   * The path below the tool's own routes the delivery came to (DevLake's
   * `deployments`, `issues`, `issue/{key}/close`); null on the event route.
   */
  endpoint: string | null;
  headers: string;
  body: string;
  received_at: Date;
};

/** Every column of `phaset_raw_events`. */
export const RAW_EVENT_COLUMNS = [
  'id',
  'record_id',
  'token_id',
  'source',
  'delivery_id',
  'endpoint',
  'headers',
  'body',
  'received_at',
] as const satisfies ReadonlyArray<keyof RawEventRow>;

export type EventRow = {
  id: string;
  record_id: string;
  raw_event_id: string;
  token_id: string;
  source: string;
  kind: string;
  external_id: string | null;
  occurred_at: Date;
  commit_sha: string | null;
  branch: string | null;
  environment: string | null;
  result: string | null;
  is_production: boolean | null;
  deployment_id: string | null;
  incident_id: string | null;
  opened_at: Date | null;
  resolved_at: Date | null;
  pr_id: string | null;
  pr_created_at: Date | null;
  merged_at: Date | null;
  closed_at: Date | null;
  submitted_at: Date | null;
  additions: number | null;
  deletions: number | null;
  changed_files: number | null;
  target: string | null;
  url: string | null;
};

/** Epoch milliseconds as the drivers return a bigint (pg: a string). */
export type DbMillis = number | string;

/** Every column of `phaset_events`, in table order. */
export const EVENT_COLUMNS = [
  'id',
  'record_id',
  'raw_event_id',
  'token_id',
  'source',
  'kind',
  'external_id',
  'occurred_at',
  'commit_sha',
  'branch',
  'environment',
  'result',
  'is_production',
  'deployment_id',
  'incident_id',
  'opened_at',
  'resolved_at',
  'pr_id',
  'pr_created_at',
  'merged_at',
  'closed_at',
  'submitted_at',
  'additions',
  'deletions',
  'changed_files',
  'target',
  'url',
] as const satisfies ReadonlyArray<keyof EventRow>;

export type EventColumn = (typeof EVENT_COLUMNS)[number];

/** The timestamp columns of `phaset_events`. */
export const EVENT_TIME_COLUMNS = [
  'occurred_at',
  'opened_at',
  'resolved_at',
  'pr_created_at',
  'merged_at',
  'closed_at',
  'submitted_at',
] as const satisfies ReadonlyArray<EventColumn>;

/** Columns that identify a row rather than describe the event. */
export const EVENT_INTERNAL_COLUMNS = [
  'id',
  'record_id',
  'raw_event_id',
  'token_id',
] as const satisfies ReadonlyArray<EventColumn>;
