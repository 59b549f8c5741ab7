import { PHASET_EVENT_KINDS } from '@internal/backstage-plugin-phaset-common';
import { adaptPhasetEvent, PHASET_SOURCE } from './phasetEvents';
import { azureDevops } from './sources/azure-devops';
import { bitbucket } from './sources/bitbucket';
import { devlake } from './sources/devlake';
import { github } from './sources/github';
import { gitlab } from './sources/gitlab';
import { jira } from './sources/jira';
import { linear } from './sources/linear';
import {
  AdapterOptions,
  AdapterResult,
  WebhookHeaders,
  WebhookSetup,
  WebhookSource,
} from './types';

/**
 * Every webhook tool, one row each (a tool is its folder under `sources/` and
 * its row here). Deliveries to the event route are detected in this order.
 */
export const WEBHOOK_SOURCES: readonly WebhookSource[] = [
  github,
  gitlab,
  bitbucket,
  linear,
  azureDevops,
  jira,
  devlake,
];

/**
 * What a webhook generated for no particular tool (and every token from
 * `/tokens`) is: it accepts Phaset's JSON events and every tool, unsigned.
 */
export const CI_SOURCE = 'ci';

export const DEFAULT_INCIDENT_LABEL = 'incident';

export function webhookSource(id: string): WebhookSource | undefined {
  return WEBHOOK_SOURCES.find(source => source.id === id);
}

/** What a webhook may be generated for: `ci` or a tool of the registry. */
export function webhookSourceIds(): string[] {
  return [CI_SOURCE, ...WEBHOOK_SOURCES.map(source => source.id)];
}

/**
 * The tool a delivery to the event route comes from, or `phaset` when no
 * tool recognises it (then it must be one of Phaset's JSON events).
 */
export function detectSource(headers: WebhookHeaders, body: unknown): string {
  return (
    WEBHOOK_SOURCES.find(source => source.detect?.(headers, body))?.id ??
    PHASET_SOURCE
  );
}

/**
 * Maps one delivery of `source` to normalised events; the same at receipt and
 * when a recompute replays the stored delivery. Throws InputError for a
 * payload the source cannot read.
 */
export function adaptDelivery(
  source: string,
  headers: WebhookHeaders,
  body: unknown,
  options: Partial<AdapterOptions>,
): AdapterResult {
  const resolved: AdapterOptions = {
    ...options,
    incidentLabel: options.incidentLabel || DEFAULT_INCIDENT_LABEL,
  };
  const tool = webhookSource(source);
  return tool
    ? tool.adapt(headers, body, resolved)
    : adaptPhasetEvent(body, resolved);
}

/** A webhook source as people see it when they generate a webhook. */
export interface WebhookSourceDescription {
  id: string;
  title: string;
  /** Whether a webhook generated for it comes with a signing secret. */
  signed: boolean;
  setup: WebhookSetup;
}

/** The sources a webhook can be generated for, with how to set each up. */
export function describeWebhookSources(): WebhookSourceDescription[] {
  return [
    {
      id: CI_SOURCE,
      title: "CI (Phaset's JSON events; also accepts every tool, unsigned)",
      signed: false,
      setup: {
        where:
          "Phaset's CI action (its endpoint is this plugin's base URL) or any HTTP client: POST to the generated URL",
        contentType: 'application/json',
        events: [...PHASET_EVENT_KINDS],
      },
    },
    ...WEBHOOK_SOURCES.map(source => ({
      id: source.id,
      title: source.title,
      signed: source.verifySignature !== undefined,
      setup: source.setup,
    })),
  ];
}
