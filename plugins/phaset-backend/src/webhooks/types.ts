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
}

export type AdapterResult =
  | { events: PhasetEvent[]; deliveryId?: string }
  | { ignored: string };

export type Adapter = (
  headers: WebhookHeaders,
  body: unknown,
  options: AdapterOptions,
) => AdapterResult;
