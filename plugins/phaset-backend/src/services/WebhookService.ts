import { Page, PageRequest } from '../database/paging';
import { StoredToken } from '../database/TokenStore';
import { EventService } from './EventService';
import { RecordService } from './RecordService';
import { IssuedToken, TokenService } from './TokenService';

export type Webhook = StoredToken & {
  /** Where the tool posts; for DevLake the base its endpoints are appended to. */
  url: string;
};

/**
 * Generated webhooks (Axify-style): a Record token for one tool, with the
 * ready-to-paste URL. Revoking can also delete what arrived through it.
 */
export class WebhookService {
  constructor(
    private readonly records: RecordService,
    private readonly tokens: TokenService,
    private readonly events: EventService,
    /** The plugin's external base URL, e.g. https://backstage.example.com/api/phaset. */
    private readonly baseUrl: () => Promise<string>,
  ) {}

  async create(
    recordId: string,
    input: { name?: unknown; source?: unknown },
  ): Promise<IssuedToken & { url: string }> {
    const record = await this.records.get(recordId);
    const issued = await this.tokens.issue(
      recordId,
      input.name,
      'api',
      input.source ?? 'ci',
    );
    const base = await this.baseUrl();
    const url =
      issued.source === 'devlake'
        ? `${base}/devlake/${record.id}/${issued.token}`
        : `${base}/integration/event/${record.organizationId}/${record.id}/${issued.token}`;
    return { ...issued, url };
  }

  async list(recordId: string, page: PageRequest): Promise<Page<StoredToken>> {
    await this.records.get(recordId);
    return this.tokens.list(recordId, page);
  }

  rename(recordId: string, id: string, name: unknown): Promise<StoredToken> {
    return this.tokens.rename(recordId, id, name);
  }

  /** Stops the webhook at once; with `deleteData`, removes every event it brought. */
  async revoke(recordId: string, id: string, deleteData: boolean) {
    await this.tokens.revoke(recordId, id);
    if (deleteData) {
      await this.events.deleteWebhookData(id);
    }
  }
}
