import { NotFoundError } from '@backstage/errors';
import { PhasetBaseline } from '@internal/backstage-plugin-phaset-common';
import { PhasetConfig } from '../config';
import { StoredRecord } from '../database/RecordStore';

/** The id that always names the organisation's default Baseline. */
export const DEFAULT_BASELINE_ID = 'default';

/** Resolves which Baseline applies to a Record. */
export class BaselineService {
  constructor(private readonly config: PhasetConfig) {}

  list(): PhasetBaseline[] {
    return [...this.config.baselines.values()];
  }

  /** The ids a manifest may name: every configured Baseline and `default`. */
  acceptedIds(): string[] {
    return [...new Set([DEFAULT_BASELINE_ID, ...this.config.baselines.keys()])];
  }

  accepts(baselineId: string): boolean {
    return (
      baselineId === DEFAULT_BASELINE_ID ||
      this.config.baselines.has(baselineId)
    );
  }

  organizationDefault(organizationId: string): PhasetBaseline {
    const org = this.config.organizations.get(organizationId);
    const id = org?.defaultBaselineId ?? DEFAULT_BASELINE_ID;
    // readPhasetConfig guarantees every default names a configured Baseline.
    return this.config.baselines.get(id)!;
  }

  /** The manifest's `baseline.id` when it is configured, else the org default. */
  forRecord(record: StoredRecord): PhasetBaseline {
    const wanted = record.manifest?.baseline?.id;
    return (
      (wanted && this.config.baselines.get(wanted)) ||
      this.organizationDefault(record.organizationId)
    );
  }

  /**
   * The Baseline CI asked for by id: `default` and, for a Record that names
   * no Baseline, any unknown id give the organisation default; an unknown id
   * otherwise is a 404.
   */
  forIntegration(record: StoredRecord, baselineId: string): PhasetBaseline {
    if (baselineId === DEFAULT_BASELINE_ID) {
      return this.organizationDefault(record.organizationId);
    }
    const known = this.config.baselines.get(baselineId);
    if (known) {
      return known;
    }
    if (!record.manifest?.baseline?.id) {
      return this.organizationDefault(record.organizationId);
    }
    throw new NotFoundError(`baselineId: no Baseline '${baselineId}'`);
  }
}
