import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import type { ReviewAnswer } from '@internal/backstage-plugin-phaset-common';
import { recordIdSlices, whereRecordIn } from './chunks';
import { Page, PageRequest } from './paging';
import { ReviewRow, TABLES } from './tables';
import { toIsoString } from './time';

const TABLE = TABLES.reviews;

export type StoredReview = {
  id: string;
  recordId: string;
  author: string;
  answers: ReviewAnswer[];
  score: number | null;
  createdAt: string;
};

function toReview(row: ReviewRow): StoredReview {
  return {
    id: String(row.id),
    recordId: row.record_id,
    author: row.author,
    answers: JSON.parse(row.answers),
    score: row.score === null ? null : Number(row.score),
    createdAt: toIsoString(row.created_at),
  };
}

/** The id a Reviews cursor names; 400 naming `cursor` otherwise. */
function beforeId(cursor: string): number {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const id =
    Array.isArray(value) && value.length === 1 ? Number(value[0]) : NaN;
  if (!Number.isSafeInteger(id)) {
    throw new InputError('cursor: is not a cursor this list answered');
  }
  return id;
}

/** Reviews of Records: every one kept, newest first. */
export class ReviewStore {
  constructor(private readonly db: Knex) {}

  async add(review: {
    recordId: string;
    author: string;
    answers: ReviewAnswer[];
    score: number | null;
    createdAt: Date;
  }): Promise<StoredReview> {
    const [row] = await this.db<ReviewRow>(TABLE)
      .insert({
        record_id: review.recordId,
        author: review.author,
        answers: JSON.stringify(review.answers),
        score: review.score,
        created_at: review.createdAt,
      })
      .returning('*');
    return toReview(row as ReviewRow);
  }

  /** One page of a Record's Reviews, newest first (ids grow with time). */
  async list(recordId: string, page: PageRequest): Promise<Page<StoredReview>> {
    const query = this.db<ReviewRow>(TABLE)
      .where({ record_id: recordId })
      .orderBy('id', 'desc')
      .limit(page.limit + 1);
    if (page.cursor !== undefined) {
      query.where('id', '<', beforeId(page.cursor));
    }
    const rows = await query;
    const items = rows.slice(0, page.limit).map(toReview);
    return {
      items,
      ...(rows.length > page.limit && {
        nextCursor: Buffer.from(
          JSON.stringify([items[items.length - 1].id]),
        ).toString('base64url'),
      }),
    };
  }

  async latest(recordId: string): Promise<StoredReview | undefined> {
    const row = await this.db<ReviewRow>(TABLE)
      .where({ record_id: recordId })
      .orderBy('id', 'desc')
      .first();
    return row && toReview(row);
  }

  /** The latest Review of each Record that has one. */
  async latestOf(recordIds: string[]): Promise<Map<string, StoredReview>> {
    const result = new Map<string, StoredReview>();
    for (const ids of recordIdSlices(this.db, recordIds)) {
      const rows: ReviewRow[] = await this.db(`${TABLE} as r`)
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
          'r.id',
        )
        .select('r.*');
      for (const row of rows) result.set(row.record_id, toReview(row));
    }
    return result;
  }
}
