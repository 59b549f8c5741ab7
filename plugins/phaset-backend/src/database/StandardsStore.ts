import { Knex } from 'knex';
import { StandardsResult } from '@internal/backstage-plugin-phaset-common';
import { recordIdSlices, whereRecordIn } from './chunks';
import { StandardsResultRow, TABLES } from './tables';
import { toIsoString } from './time';

export type StandardsSummary = {
  id: number;
  baselineId: string;
  passes: number;
  warnings: number;
  failures: number;
  createdAt: string;
};

export type StoredStandardsResult = StandardsSummary & {
  results: StandardsResult['results'];
  raw: string;
};

const TABLE = TABLES.standardsResults;

function toSummary(row: StandardsResultRow): StandardsSummary {
  return {
    id: Number(row.id),
    baselineId: row.baseline_id,
    passes: row.passes,
    warnings: row.warnings,
    failures: row.failures,
    createdAt: toIsoString(row.created_at),
  };
}

export class StandardsStore {
  constructor(private readonly db: Knex) {}

  async add(entry: {
    recordId: string;
    baselineId: string;
    result: StandardsResult;
    raw: string;
  }): Promise<void> {
    await this.db<StandardsResultRow>(TABLE).insert({
      record_id: entry.recordId,
      baseline_id: entry.baselineId,
      passes: entry.result.passes,
      warnings: entry.result.warnings,
      failures: entry.result.failures,
      results: JSON.stringify(entry.result.results),
      raw: entry.raw,
      created_at: new Date(),
    });
  }

  async latest(recordId: string): Promise<StoredStandardsResult | undefined> {
    const row = await this.db<StandardsResultRow>(TABLE)
      .where({ record_id: recordId })
      .orderBy('id', 'desc')
      .first();
    if (!row) {
      return undefined;
    }
    return {
      ...toSummary(row),
      results: JSON.parse(row.results),
      raw: row.raw,
    };
  }

  /** The counts of each Record's latest result, for the Records that have one. */
  async latestSummaries(
    recordIds: string[],
  ): Promise<Map<string, StandardsSummary>> {
    const result = new Map<string, StandardsSummary>();
    for (const ids of recordIdSlices(this.db, recordIds)) {
      const rows: StandardsResultRow[] = await this.db(`${TABLE} as s`)
        .join(
          whereRecordIn(
            this.db,
            this.db(TABLE).select('record_id').max({ id: 'id' }),
            'record_id',
            ids,
          )
            .groupBy('record_id')
            .as('latest'),
          'latest.id',
          's.id',
        )
        .select(
          's.id',
          's.record_id',
          's.baseline_id',
          's.passes',
          's.warnings',
          's.failures',
          's.created_at',
        );
      for (const row of rows) result.set(row.record_id, toSummary(row));
    }
    return result;
  }

  /** Counts over time, oldest first. */
  async history(recordId: string, limit: number): Promise<StandardsSummary[]> {
    const rows = await this.db<StandardsResultRow>(TABLE)
      .where({ record_id: recordId })
      .orderBy('id', 'desc')
      .limit(limit)
      .select(
        'id',
        'baseline_id',
        'passes',
        'warnings',
        'failures',
        'created_at',
      );
    return rows.reverse().map(row => toSummary(row as StandardsResultRow));
  }
}
