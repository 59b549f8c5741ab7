import { InputError } from '@backstage/errors';
import {
  normalisePhasetJsonEvent,
  PhasetEventSource,
  phasetJsonEventSchema,
} from '@internal/backstage-plugin-phaset-common';
import { adaptAzureDevops } from './azureDevops';
import { adaptBitbucket } from './bitbucket';
import { adaptGithub } from './github';
import { adaptGitlab } from './gitlab';
import { adaptJira } from './jira';
import { adaptLinear } from './linear';
import {
  Adapter,
  AdapterOptions,
  AdapterResult,
  WebhookHeaders,
} from './types';

export type {
  Adapter,
  AdapterOptions,
  AdapterResult,
  WebhookHeaders,
} from './types';

export interface WebhookSource {
  source: Exclude<PhasetEventSource, 'phaset'>;
  /** Cheap check on headers/body only; the adapter validates the payload. */
  detect(headers: WebhookHeaders, body: unknown): boolean;
  adapt: Adapter;
}

function bodyField(body: unknown, key: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[key]
    : undefined;
}

/** Native webhook sources, tried in order. A new tool is one file and one row. */
export const WEBHOOK_SOURCES: WebhookSource[] = [
  {
    source: 'github',
    detect: headers => Boolean(headers['x-github-event']),
    adapt: adaptGithub,
  },
  {
    source: 'gitlab',
    detect: headers => Boolean(headers['x-gitlab-event']),
    adapt: adaptGitlab,
  },
  {
    source: 'bitbucket',
    detect: headers => Boolean(headers['x-event-key']),
    adapt: adaptBitbucket,
  },
  {
    source: 'linear',
    detect: headers => Boolean(headers['linear-event']),
    adapt: adaptLinear,
  },
  {
    source: 'azure-devops',
    detect: (_headers, body) =>
      typeof bodyField(body, 'eventType') === 'string',
    adapt: adaptAzureDevops,
  },
  {
    source: 'jira',
    detect: (_headers, body) =>
      typeof bodyField(body, 'webhookEvent') === 'string',
    adapt: adaptJira,
  },
];

export const DEFAULT_INCIDENT_LABEL = 'incident';

/**
 * Maps one inbound request to normalised events: a native webhook of a known
 * tool, else one of Phaset's own JSON events. Throws InputError for bodies
 * that match neither, or that a recognised tool sent malformed.
 */
export function detectAndAdapt(
  headers: WebhookHeaders,
  body: unknown,
  options: Partial<AdapterOptions> = {},
): AdapterResult & { source: PhasetEventSource } {
  const resolved: AdapterOptions = {
    ...options,
    incidentLabel: options.incidentLabel || DEFAULT_INCIDENT_LABEL,
  };
  const native = WEBHOOK_SOURCES.find(s => s.detect(headers, body));
  if (native) {
    return { source: native.source, ...native.adapt(headers, body, resolved) };
  }
  const parsed = phasetJsonEventSchema.safeParse(body);
  if (!parsed.success) {
    throw new InputError(
      `Not a supported webhook nor a valid Phaset event: ${parsed.error.issues
        .map(issue => `${issue.path.join('.') || 'body'}: ${issue.message}`)
        .join('; ')}`,
    );
  }
  return {
    source: 'phaset',
    events: [normalisePhasetJsonEvent(parsed.data, resolved.now)],
  };
}
