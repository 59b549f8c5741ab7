import { StandardsResult } from '@internal/backstage-plugin-phaset-common';
import { StoredRecord } from '../database/RecordStore';
import {
  StandardsStore,
  StandardsSummary,
  StoredStandardsResult,
} from '../database/StandardsStore';
import { BaselineService } from './BaselineService';

const HISTORY_LIMIT = 100;

/** StandardLint results: stored against the Baseline they were checked with. */
export class StandardsService {
  constructor(
    private readonly store: StandardsStore,
    private readonly baselines: BaselineService,
  ) {}

  /** Stores a validated result against the Baseline that applies to the Record. */
  async submit(
    record: StoredRecord,
    result: StandardsResult,
    raw: string,
  ): Promise<{ baselineId: string }> {
    const baselineId = this.baselines.forRecord(record).id;
    await this.store.add({ recordId: record.id, baselineId, result, raw });
    return { baselineId };
  }

  async read(recordId: string): Promise<{
    latest?: StoredStandardsResult;
    history: StandardsSummary[];
  }> {
    const [latest, history] = await Promise.all([
      this.store.latest(recordId),
      this.store.history(recordId, HISTORY_LIMIT),
    ]);
    return { latest, history };
  }
}
