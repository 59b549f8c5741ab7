import { InputError, NotFoundError } from '@backstage/errors';
import {
  gradeOf,
  healthScore,
  HealthScore,
  isStorableText,
  REVIEW_ANSWERS,
  ReviewAnswer,
  ReviewQuestion,
  reviewScore,
  NO_TELEMETRY,
} from '@internal/backstage-plugin-phaset-common';
import type { DoraFactStore } from '../database/DoraFactStore';
import type { DoraFactWorker } from './DoraFactWorker';
import { PageRequest } from '../database/paging';
import { RecordStore, StoredRecord } from '../database/RecordStore';
import { ReviewStore, StoredReview } from '../database/ReviewStore';
import { StandardsStore, StandardsSummary } from '../database/StandardsStore';
import type { HealthConfig } from '../config';

const MAX_COMMENT = 2000;
const DAY_MS = 86_400_000;

type GradedScore = { score: number; grade: HealthScore['grade'] };

/** What the roll-up shows of a Record beside its metrics. */
export type RecordSummary = {
  standards?: StandardsSummary;
  health: GradedScore;
};

/** The roll-up's Health: per Record, and per owner the mean of its Records'. */
export type RollupSummaries = {
  byRecord: Map<string, RecordSummary>;
  byOwner: Map<string, GradedScore>;
};

/**
 * The answers of a Review body, one per question of the template: a 400
 * naming the field for anything else.
 */
export function parseReviewAnswers(
  body: unknown,
  questions: ReviewQuestion[],
): ReviewAnswer[] {
  const answers = (body as { answers?: unknown } | undefined)?.answers;
  if (!Array.isArray(answers)) {
    throw new InputError('answers: must be a list of answers');
  }
  const known = new Set(questions.map(q => q.id));
  const seen = new Set<string>();
  const parsed = answers.map((answer: unknown, i): ReviewAnswer => {
    const field = `answers[${i}]`;
    if (typeof answer !== 'object' || answer === null) {
      throw new InputError(`${field}: must be an object`);
    }
    const { questionId, value, prioritised, comment } = answer as Record<
      string,
      unknown
    >;
    if (typeof questionId !== 'string' || !known.has(questionId)) {
      throw new InputError(
        `${field}.questionId: must be the id of a question of the template`,
      );
    }
    if (seen.has(questionId)) {
      throw new InputError(
        `${field}.questionId: ${questionId} is answered twice`,
      );
    }
    seen.add(questionId);
    if (!REVIEW_ANSWERS.includes(value as ReviewAnswer['value'])) {
      throw new InputError(
        `${field}.value: must be one of ${REVIEW_ANSWERS.join(', ')}`,
      );
    }
    if (prioritised !== undefined && typeof prioritised !== 'boolean') {
      throw new InputError(`${field}.prioritised: must be true or false`);
    }
    if (
      comment !== undefined &&
      (typeof comment !== 'string' ||
        comment.length > MAX_COMMENT ||
        !isStorableText(comment))
    ) {
      throw new InputError(
        `${field}.comment: must be text of at most ${MAX_COMMENT} characters`,
      );
    }
    return {
      questionId,
      value: value as ReviewAnswer['value'],
      ...(prioritised !== undefined && { prioritised }),
      ...(comment ? { comment: comment as string } : {}),
    };
  });
  const unanswered = questions.filter(q => !seen.has(q.id));
  if (unanswered.length > 0) {
    throw new InputError(
      `answers: ${unanswered.length} question(s) not answered, first ${unanswered[0].id} (answer na where it does not apply)`,
    );
  }
  return parsed;
}

/** Reviews of Records and the Health Score they count for (docs/health.md). */
export class HealthService {
  constructor(
    private readonly reviews: ReviewStore,
    private readonly records: RecordStore,
    private readonly standards: StandardsStore,
    private readonly facts: Pick<DoraFactStore, 'telemetryCounts'>,
    /** Folds queued events into the facts before they are read. */
    private readonly folds: Pick<DoraFactWorker, 'catchUp'>,
    private readonly config: HealthConfig,
    private readonly now: () => number = Date.now,
  ) {}

  template() {
    return {
      questions: this.config.questions,
      answers: [...REVIEW_ANSWERS],
      reviewMaxAgeDays: this.config.reviewMaxAgeDays,
      telemetryWindowDays: this.config.telemetryWindowDays,
      grades: this.config.grades,
    };
  }

  /**
   * What each Record reported over the telemetry window ending now; for
   * many Records (the roll-up) after folding every Record's queued events.
   */
  private async telemetry(recordIds: string[]) {
    await this.folds.catchUp(recordIds);
    const now = this.now();
    return this.facts.telemetryCounts(
      recordIds,
      now - this.config.telemetryWindowDays * DAY_MS,
      now,
    );
  }

  private async record(recordId: string) {
    const record = await this.records.get(recordId);
    if (!record) throw new NotFoundError(`No Record '${recordId}'`);
    return record;
  }

  async createReview(
    recordId: string,
    author: string,
    answers: ReviewAnswer[],
  ): Promise<StoredReview> {
    await this.record(recordId);
    return this.reviews.add({
      recordId,
      author,
      answers,
      score: reviewScore(answers),
      createdAt: new Date(this.now()),
    });
  }

  async listReviews(recordId: string, page: PageRequest) {
    await this.record(recordId);
    return this.reviews.list(recordId, page);
  }

  async latestReview(recordId: string): Promise<StoredReview> {
    await this.record(recordId);
    const review = await this.reviews.latest(recordId);
    if (!review) throw new NotFoundError(`Record '${recordId}' has no Review`);
    return review;
  }

  async forRecord(
    recordId: string,
  ): Promise<HealthScore & { recordId: string }> {
    const record = await this.record(recordId);
    const [standards, review, telemetry] = await Promise.all([
      this.standards.latest(recordId),
      this.reviews.latest(recordId),
      this.telemetry([recordId]),
    ]);
    return {
      recordId,
      ...healthScore(
        {
          standards,
          manifest: record.manifest,
          review,
          telemetry: telemetry.get(recordId) ?? NO_TELEMETRY,
        },
        this.options(),
      ),
    };
  }

  /**
   * For the roll-up: per Record its latest Standards counts and its Health
   * Score and grade, and per owner the mean score of its Records, graded;
   * five queries per 500 Records.
   */
  async summaries(
    records: StoredRecord[],
    owners: Map<string, string>,
  ): Promise<RollupSummaries> {
    const ids = records.map(r => r.id);
    const [standards, reviews, telemetry] = await Promise.all([
      this.standards.latestSummaries(ids),
      this.reviews.latestOf(ids),
      this.telemetry(ids),
    ]);
    const byRecord = new Map<string, RecordSummary>();
    const scoresByOwner = new Map<string, number[]>();
    for (const record of records) {
      const { score, grade } = healthScore(
        {
          standards: standards.get(record.id),
          manifest: record.manifest,
          review: reviews.get(record.id),
          telemetry: telemetry.get(record.id) ?? NO_TELEMETRY,
        },
        this.options(),
      );
      byRecord.set(record.id, {
        standards: standards.get(record.id),
        health: { score, grade },
      });
      const owner = owners.get(record.id);
      if (owner) {
        const scores = scoresByOwner.get(owner);
        if (scores) scores.push(score);
        else scoresByOwner.set(owner, [score]);
      }
    }
    const byOwner = new Map(
      [...scoresByOwner].map(([owner, scores]) => {
        const score = scores.reduce((sum, s) => sum + s, 0) / scores.length;
        return [owner, { score, grade: gradeOf(score, this.config.grades) }];
      }),
    );
    return { byRecord, byOwner };
  }

  private options() {
    return {
      now: this.now(),
      reviewMaxAgeDays: this.config.reviewMaxAgeDays,
      telemetryWindowDays: this.config.telemetryWindowDays,
      grades: this.config.grades,
    };
  }
}
