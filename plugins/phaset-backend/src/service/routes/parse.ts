import { InputError } from '@backstage/errors';
import {
  ENGINEERING_SERIES_METRICS,
  EngineeringSeriesMetric,
  SERIES_INTERVALS,
  SERIES_METRICS,
  SeriesInterval,
  SeriesMetric,
} from '../../services/MetricsService';
import { Window } from '../../metrics/computeMetrics';
import {
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
} from '@internal/backstage-plugin-phaset-common';
import { PageRequest } from '../../database/paging';

/*
 * Parsing of query parameters and bodies into the typed inputs of services.
 * Each failure is a 400 whose message starts with the field's name.
 */

const DAY_MS = 86_400_000;
const DEFAULT_WINDOW_DAYS = 30;

/** A query parameter given at most once; repeated ones are ignored, as before. */
export function queryString(
  query: Record<string, unknown>,
  name: string,
): string | undefined {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * `limit` (1 to 1,000, by default 100) and `cursor` (the `nextCursor` of the
 * previous page) of a paged list. The store checks what the cursor names.
 */
export function parsePage(query: Record<string, unknown>): PageRequest {
  const { limit, cursor } = query;
  if (limit !== undefined && !/^\d{1,4}$/.test(String(limit))) {
    throw new InputError(
      `limit: must be an integer from 1 to ${MAX_PAGE_LIMIT}`,
    );
  }
  const parsed = limit === undefined ? DEFAULT_PAGE_LIMIT : Number(limit);
  if (parsed < 1 || parsed > MAX_PAGE_LIMIT) {
    throw new InputError(
      `limit: must be an integer from 1 to ${MAX_PAGE_LIMIT}`,
    );
  }
  if (cursor === undefined) {
    return { limit: parsed };
  }
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) {
    throw new InputError('cursor: must be the nextCursor of a previous page');
  }
  return { limit: parsed, cursor };
}

/** ISO 8601, or Unix seconds / milliseconds (10 or 13 digits). */
function parseInstant(field: string, value: unknown): number | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(`${field}: must be given once`);
  }
  if (/^\d{10}$/.test(value)) return Number(value) * 1000;
  if (/^\d{13}$/.test(value)) return Number(value);
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(parsed)) {
    throw new InputError(
      `${field}: must be ISO 8601 or a Unix timestamp of 10 or 13 digits`,
    );
  }
  return parsed;
}

/** The `from`/`to` window of a metrics query; by default the last 30 days. */
export function parseWindow(
  query: { from?: unknown; to?: unknown },
  now: number,
): Window {
  const to = parseInstant('to', query.to) ?? now;
  const from =
    parseInstant('from', query.from) ?? to - DEFAULT_WINDOW_DAYS * DAY_MS;
  if (from >= to) {
    throw new InputError('from: must be before to');
  }
  return { from, to };
}

export function parseSeriesMetric(value: unknown): SeriesMetric {
  if (typeof value !== 'string' || !Object.hasOwn(SERIES_METRICS, value)) {
    throw new InputError(
      `metric: must be one of ${Object.keys(SERIES_METRICS).join(', ')}`,
    );
  }
  return value as SeriesMetric;
}

export function parseEngineeringSeriesMetric(
  value: unknown,
): EngineeringSeriesMetric {
  if (
    typeof value !== 'string' ||
    !Object.hasOwn(ENGINEERING_SERIES_METRICS, value)
  ) {
    throw new InputError(
      `metric: must be one of ${Object.keys(ENGINEERING_SERIES_METRICS).join(
        ', ',
      )}`,
    );
  }
  return value as EngineeringSeriesMetric;
}

export function parseSeriesInterval(value: unknown): SeriesInterval {
  if (!SERIES_INTERVALS.includes(value as SeriesInterval)) {
    throw new InputError('interval: must be day, week or month');
  }
  return value as SeriesInterval;
}

/** An optional string field of a JSON body. */
export function optionalString(
  body: Record<string, unknown>,
  field: string,
  message: string,
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(`${field}: ${message}`);
  }
  return value;
}

/** The JSON body as an object, or an empty one (fields then report themselves missing). */
export function bodyObject(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}
