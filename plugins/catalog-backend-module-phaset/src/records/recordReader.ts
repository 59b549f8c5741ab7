import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DefaultApiClient,
  MAX_PAGE_LIMIT,
  PhasetApi,
} from '@internal/backstage-plugin-phaset-common';

/**
 * The parts of a phaset backend Record that the catalog maps. The API's
 * answer also carries the raw manifest and timestamps; they are left out so
 * that change detection ignores them.
 *
 * @public
 */
export type CatalogRecord = Pick<
  PhasetApi.PhasetRecord,
  'id' | 'organizationId' | 'entityRef' | 'manifest'
>;

/** Where the catalog reads Records from. @public */
export interface PhasetRecordReader {
  list(): Promise<CatalogRecord[]>;
  /** The Record, or undefined once it has been deleted. */
  get(id: string): Promise<CatalogRecord | undefined>;
}

function pick(record: CatalogRecord): CatalogRecord {
  return {
    id: record.id,
    organizationId: record.organizationId,
    ...(record.entityRef && { entityRef: record.entityRef }),
    ...(record.manifest && { manifest: record.manifest }),
  };
}

/**
 * Reads Records through the phaset API's generated client, as this plugin's
 * own service identity (needs `phaset.record.read`).
 *
 * @public
 */
export function createPhasetRecordReader(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): PhasetRecordReader {
  const { discovery, auth } = options;
  const api = new DefaultApiClient({ discoveryApi: discovery });
  const requestOptions = async () => {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'phaset',
    });
    return { token };
  };
  return {
    async list() {
      const records: CatalogRecord[] = [];
      let cursor: string | undefined;
      do {
        const response = await api.listRecords(
          { query: { limit: MAX_PAGE_LIMIT, cursor } },
          await requestOptions(),
        );
        if (!response.ok) {
          throw await ResponseError.fromResponse(response as Response);
        }
        const page = await response.json();
        records.push(...page.items.map(pick));
        cursor = page.nextCursor;
      } while (cursor);
      return records;
    },
    async get(id) {
      const response = await api.getRecord(
        { path: { id } },
        await requestOptions(),
      );
      if (response.status === 404) {
        return undefined;
      }
      if (!response.ok) {
        throw await ResponseError.fromResponse(response as Response);
      }
      return pick(await response.json());
    },
  };
}
