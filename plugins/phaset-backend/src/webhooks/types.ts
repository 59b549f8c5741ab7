import { PhasetEvent } from '@internal/backstage-plugin-phaset-common';

/** Request headers with lower-cased names. */
export type WebhookHeaders = Record<string, string | undefined>;

export interface AdapterOptions {
  /** Issues carrying this label (case-insensitive) are incidents. */
  incidentLabel: string;
  /** When set, deployments to other environments are ignored (case-insensitive). */
  productionEnvironments?: string[];
  /** Receipt time, for events whose payload carries no time (deletions). */
  now?: () => Date;
  /**
   * The path below the tool's own routes the delivery came to, for tools
   * served on routes of their own (DevLake's `deployments`, `issues`,
   * `issue/{key}/close`); stored with the delivery so a recompute replays it.
   */
  endpoint?: string;
}

export type AdapterResult =
  | { events: PhasetEvent[]; deliveryId?: string }
  | { ignored: string };

export type Adapter = (
  headers: WebhookHeaders,
  body: unknown,
  options: AdapterOptions,
) => AdapterResult;

/**
 * Checks a delivery's signature or shared secret on the raw body; returns
 * what was wrong, or undefined when it matches.
 */
export type SignatureCheck = (
  headers: WebhookHeaders,
  secret: string,
  raw: Buffer,
) => string | undefined;

/** How a person sets the tool's webhook up, shown next to a generated webhook. */
export interface WebhookSetup {
  /** Where in the tool the webhook is added. */
  where: string;
  /** Content type to choose, when the tool asks. */
  contentType?: string;
  /** The events (triggers) to tick. */
  events: string[];
  /** Where the generated signing secret goes, for tools that sign. */
  secret?: string;
}

/**
 * One webhook tool: everything the backend knows about it. A tool's folder
 * under `sources/` exports one of these and the registry lists it.
 */
export interface WebhookSource {
  /** Stored as the webhook's and each event's `source`; also its folder name. */
  id: string;
  /** The tool's name for people. */
  title: string;
  /**
   * Whether a delivery to the event route is this tool's, from its headers
   * or body. Absent for tools served on routes of their own (DevLake).
   */
  detect?: (headers: WebhookHeaders, body: unknown) => boolean;
  adapt: Adapter;
  /** Tools that sign get a signing secret with their generated webhook. */
  verifySignature?: SignatureCheck;
  /**
   * Headers that name the event and the delivery: kept with the raw delivery
   * (never a secret) so that a recompute can replay it.
   */
  deliveryHeaders: string[];
  setup: WebhookSetup;
}
