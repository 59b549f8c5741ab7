import { InputError } from '@backstage/errors';
import {
  DeploymentResult,
  PhasetEventSource,
} from '@internal/backstage-plugin-phaset-common';
import { AdapterOptions, AdapterResult } from './types';

type Path = string | string[];

function segments(path: Path): string[] {
  return Array.isArray(path) ? path : path.split('.');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Typed access into an untrusted webhook body. Required getters throw an
 * InputError naming the tool, the event and the missing field, so a caller
 * sees exactly what was wrong with the payload. Paths are dotted strings, or
 * arrays when a key itself contains dots (Azure's `System.State`).
 */
export class Fields {
  constructor(
    private readonly context: string,
    private readonly body: unknown,
    /** Where `body` sits in the whole payload, for error messages. */
    private readonly prefix: string[] = [],
  ) {}

  get(path: Path): unknown {
    let current: unknown = this.body;
    for (const key of segments(path)) {
      if (!isObject(current)) {
        return undefined;
      }
      current = current[key];
    }
    return current;
  }

  fail(path: Path, expected: string): never {
    const field = [...this.prefix, ...segments(path)].join('.');
    throw new InputError(
      `${this.context}: missing or invalid field "${field}" (expected ${expected})`,
    );
  }

  /** Strings, and numeric ids turned into strings. */
  id(path: Path): string {
    return this.optionalId(path) ?? this.fail(path, 'a string or number');
  }

  optionalId(path: Path): string | undefined {
    const value = this.get(path);
    if (typeof value === 'number' && Number.isFinite(value)) {
      return String(value);
    }
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  string(path: Path): string {
    const value = this.get(path);
    return typeof value === 'string' ? value : this.fail(path, 'a string');
  }

  optionalString(path: Path): string | undefined {
    const value = this.get(path);
    return typeof value === 'string' ? value : undefined;
  }

  /**
   * The first of these fields that holds a non-empty string: a link to the
   * thing's page in its tool (a bad one is dropped where events are stored).
   */
  link(...paths: Path[]): string | undefined {
    for (const path of paths) {
      const value = this.get(path);
      if (typeof value === 'string' && value !== '') return value;
    }
    return undefined;
  }

  optionalNumber(path: Path): number | undefined {
    const value = this.get(path);
    return typeof value === 'number' ? value : undefined;
  }

  object(path: Path): Fields {
    const value = this.get(path);
    return isObject(value)
      ? new Fields(this.context, value, [...this.prefix, ...segments(path)])
      : this.fail(path, 'an object');
  }

  array(path: Path): Fields[] {
    const value = this.get(path);
    if (!Array.isArray(value)) {
      return this.fail(path, 'an array');
    }
    const at = [...this.prefix, ...segments(path)];
    return value.map(
      (item, i) =>
        new Fields(this.context, item, [
          ...at.slice(0, -1),
          `${at[at.length - 1]}[${i}]`,
        ]),
    );
  }

  optionalArray(path: Path): Fields[] {
    return this.get(path) === undefined || this.get(path) === null
      ? []
      : this.array(path);
  }

  /** ISO 8601 and the tools' variants ("2017-12-10 16:37:38 UTC"), or epoch ms. */
  date(path: Path): Date {
    return this.optionalDate(path) ?? this.fail(path, 'a date');
  }

  optionalDate(path: Path): Date | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) {
      return undefined;
    }
    const date =
      typeof value === 'string' || typeof value === 'number'
        ? new Date(value)
        : undefined;
    return date && !Number.isNaN(date.getTime())
      ? date
      : this.fail(path, 'a date');
  }
}

/** Whether the body is an object with a string at `key` (detection by body). */
export function hasStringField(body: unknown, key: string): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Record<string, unknown>)[key] === 'string'
  );
}

export function sameText(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

export function hasLabel(labels: string[], label: string): boolean {
  return labels.some(l => sameText(l, label));
}

/** Undefined when the environment is allowed, else the reason to ignore it. */
export function environmentNotTracked(
  environment: string | undefined,
  options: AdapterOptions,
): string | undefined {
  const allowed = options.productionEnvironments;
  if (!allowed || (environment && hasLabel(allowed, environment))) {
    return undefined;
  }
  return `deployment environment "${environment ?? ''}" is not one of ${allowed
    .map(e => `"${e}"`)
    .join(', ')}`;
}

/** Maps a tool's deployment state; undefined for unfinished or cancelled ones. */
export function deploymentResult(
  state: string,
  success: string[],
  failure: string[],
): DeploymentResult | undefined {
  if (success.includes(state)) {
    return 'success';
  }
  return failure.includes(state) ? 'failure' : undefined;
}

export function now(options: AdapterOptions): Date {
  return options.now ? options.now() : new Date();
}

export function shortBranch(ref: string): string {
  return ref.replace(/^refs\/heads\//, '');
}

export const NULL_SHA = '0000000000000000000000000000000000000000';

/** Attaches the delivery id for idempotency to results that carry events. */
export function withDelivery(
  result: AdapterResult,
  deliveryId: string | undefined,
): AdapterResult {
  return 'events' in result && deliveryId ? { ...result, deliveryId } : result;
}

/**
 * The two incident results an issue can produce: opened (at the time it
 * became an incident) and resolved (keeping when it was created).
 */
export function incidentResults(
  source: PhasetEventSource,
  id: string,
  createdAt: Date,
  externalId = `${source}:issue:${id}`,
  url?: string,
) {
  const base = { source, id, externalId, url };
  return {
    opened: (at: Date): AdapterResult => ({
      events: [
        { kind: 'incident-opened', ...base, createdAt: at, timestamp: at },
      ],
    }),
    resolved: (at: Date): AdapterResult => ({
      events: [
        {
          kind: 'incident-resolved',
          ...base,
          createdAt,
          resolvedAt: at,
          timestamp: at,
        },
      ],
    }),
  };
}
