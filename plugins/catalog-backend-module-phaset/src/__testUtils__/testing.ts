import fs from 'fs';
import path from 'path';
import {
  resolvePackagePath,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import {
  CatalogProcessorCache,
  CatalogProcessorParser,
  CatalogProcessorResult,
  parseEntityYaml,
} from '@backstage/plugin-catalog-node';
import { JsonValue } from '@backstage/types';

const commonFixtures = resolvePackagePath(
  '@internal/backstage-plugin-phaset-common',
  'src/__fixtures__',
);

/** Seed 001's "relatively comprehensive example" manifest, as CI would post it. */
export const seedManifest = (): any =>
  JSON.parse(
    fs.readFileSync(
      path.join(commonFixtures, 'seed-001.manifest.json'),
      'utf8',
    ),
  );

/** The catalog's own YAML parsing, as the default entity data parser does it. */
export const yamlParser: CatalogProcessorParser = async function* parse({
  data,
  location,
}) {
  yield* parseEntityYaml(data, location);
};

/**
 * The processor cache as the catalog keeps it: values written in one run are
 * what the next run sees.
 */
export class RunCache implements CatalogProcessorCache {
  private previous = new Map<string, JsonValue>();
  private current = new Map<string, JsonValue>();

  async get<T extends JsonValue>(key: string): Promise<T | undefined> {
    return this.previous.get(key) as T | undefined;
  }

  async set<T extends JsonValue>(key: string, value: T): Promise<void> {
    this.current.set(key, JSON.parse(JSON.stringify(value)));
  }

  /** Ends a processing run; an empty run keeps the old values. */
  nextRun() {
    if (this.current.size) {
      this.previous = this.current;
    }
    this.current = new Map();
  }
}

/**
 * An in-process URL reader over a map of URL → content, answering like real
 * readers: NotModifiedError for a matching ETag, NotFoundError otherwise.
 */
export class FakeUrlReader implements UrlReaderService {
  readonly files = new Map<string, string>();
  readonly requests: Array<{ method: string; url: string; etag?: string }> = [];

  private etagOf(url: string) {
    const content = this.files.get(url);
    return content === undefined
      ? undefined
      : `"${Buffer.from(content).toString('base64').slice(0, 16)}-${
          content.length
        }"`;
  }

  private open(method: string, url: string, etag?: string) {
    this.requests.push({ method, url, etag });
    const content = this.files.get(url);
    if (content === undefined) {
      throw new NotFoundError(`${url} not found`);
    }
    if (etag && etag === this.etagOf(url)) {
      throw new NotModifiedError();
    }
    return { content, etag: this.etagOf(url)! };
  }

  async readUrl(url: string, options?: { etag?: string }) {
    const { content, etag } = this.open('readUrl', url, options?.etag);
    return { buffer: async () => Buffer.from(content), etag };
  }

  async search(url: string, options?: { etag?: string }) {
    const { content, etag } = this.open('search', url, options?.etag);
    return {
      files: [{ url, content: async () => Buffer.from(content) }],
      etag,
    };
  }

  async readTree(): Promise<never> {
    throw new Error('readTree is not used by the Phaset processor');
  }
}

export const emptyConfig = () => mockServices.rootConfig({ data: {} });

/** Collects what a processor emits. */
export function collector() {
  const results: CatalogProcessorResult[] = [];
  const emit = (result: CatalogProcessorResult) => results.push(result);
  const entities = () =>
    results.flatMap(r => (r.type === 'entity' ? [r.entity] : []));
  const errors = () =>
    results.flatMap(r => (r.type === 'error' ? [r.error] : []));
  return { results, emit, entities, errors };
}
