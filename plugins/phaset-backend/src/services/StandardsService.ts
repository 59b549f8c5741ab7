import {
  StandardsResult,
  standardLintResultSchema,
} from '@internal/backstage-plugin-phaset-common';
import { StoredRecord } from '../database/RecordStore';
import {
  StandardsStore,
  StandardsSummary,
  StoredStandardsResult,
} from '../database/StandardsStore';
import { BaselineService } from './BaselineService';
import { parseOrThrow } from './ValidationError';

const HISTORY_LIMIT = 100;

/** StandardLint results: stored against the Baseline they were checked with. */
export class StandardsService {
  constructor(
    private readonly store: StandardsStore,
    private readonly baselines: BaselineService,
  ) {}

  async submit(
    record: StoredRecord,
    body: unknown,
    raw: string,
  ): Promise<{ baselineId: string; result: StandardsResult }> {
    const result = parseOrThrow(standardLintResultSchema, body);
    const baselineId = this.baselines.forRecord(record).id;
    await this.store.add({ recordId: record.id, baselineId, result, raw });
    return { baselineId, result };
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
