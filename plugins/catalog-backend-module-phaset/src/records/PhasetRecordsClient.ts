import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { RecordUpdate } from '@internal/backstage-plugin-phaset-common';

/** The fields of a phaset backend Record that the catalog needs. @public */
export type PhasetRecord = {
  id: string;
  organizationId: string;
  entityRef?: string;
  manifest?: RecordUpdate;
};

/**
 * Reads Records from the phaset backend's REST API as this plugin's own
 * service identity (needs `phaset.record.read`).
 *
 * @public
 */
export class PhasetRecordsClient {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {}

  async list(): Promise<PhasetRecord[]> {
    const response = await this.request('/records');
    const body = (await response.json()) as { items: PhasetRecord[] };
    return body.items.map(pick);
  }

  /** The Record, or undefined once it has been deleted. */
  async get(id: string): Promise<PhasetRecord | undefined> {
    const response = await this.request(
      `/records/${encodeURIComponent(id)}`,
      true,
    );
    return response.status === 404 ? undefined : pick(await response.json());
  }

  private async request(path: string, allowNotFound = false) {
    const { discovery, auth } = this.options;
    const baseUrl = await discovery.getBaseUrl('phaset');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'phaset',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok && !(allowNotFound && response.status === 404)) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

// The REST answer also carries the raw manifest and timestamps; keep only
// what the catalog uses so that change detection ignores the rest.
function pick(record: PhasetRecord): PhasetRecord {
  return {
    id: record.id,
    organizationId: record.organizationId,
    ...(record.entityRef && { entityRef: record.entityRef }),
    ...(record.manifest && { manifest: record.manifest }),
  };
}
