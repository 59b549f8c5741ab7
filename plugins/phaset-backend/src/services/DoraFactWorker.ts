import type { LoggerService } from '@backstage/backend-plugin-api';
import type { DoraFactStore } from '../database/DoraFactStore';

/** The least time from one background fold's start to the next one's. */
export const DEFAULT_FOLD_SPACING_MS = 200;

/**
 * Folds acknowledged events into the DORA facts after their ingestion
 * committed (DoraFactStore.foldPending), so that the request path only
 * stores them:
 *
 * - `notify`: ingestion names the Records it wrote; they are folded one
 *   fold at a time, a fold starting at least `spacingMs` after the one
 *   before (on the next tick when none ran lately), and the Records written
 *   meanwhile are folded together by the next one. Under load, folds grow
 *   instead of queueing up: each costs a transaction and a lock per Record
 *   whatever its size, and folding on every tick cost as many PostgreSQL
 *   round trips as the ingestion itself;
 * - `catchUp`: a read of facts first folds what its Records still have
 *   queued, so that it answers as if the facts were kept in the ingestion
 *   transaction;
 * - `sweep`: folds every Record with queued events: those of a replica that
 *   crashed after acknowledging, at start-up and on a schedule.
 *
 * Any replica may fold any Record: the store's per-Record lock makes the
 * folds of one Record run one after the other.
 */
export class DoraFactWorker {
  private dirty = new Set<string>();
  private running: Promise<void> | undefined;
  private lastFoldAt = -Infinity;

  constructor(
    private readonly store: Pick<
      DoraFactStore,
      'foldPending' | 'hasPending' | 'pendingRecords'
    >,
    private readonly logger: Pick<LoggerService, 'warn'>,
    private readonly spacingMs = DEFAULT_FOLD_SPACING_MS,
  ) {}

  notify(recordIds: Iterable<string>): void {
    for (const id of recordIds) this.dirty.add(id);
    this.running ??= this.spacingElapsed()
      .then(() => this.foldNotified())
      .finally(() => {
        this.running = undefined;
        if (this.dirty.size > 0) this.notify([]);
      });
  }

  /** Folds the Records' queued events, if they have any, before a read. */
  async catchUp(recordIds?: string[]): Promise<void> {
    if (!(await this.store.hasPending(recordIds))) return;
    await this.store.foldPending(
      recordIds ?? (await this.store.pendingRecords()),
    );
  }

  /** Folds every Record's queued events (after a crash, on any replica). */
  async sweep(): Promise<void> {
    await this.store.foldPending(await this.store.pendingRecords());
  }

  /** Resolves once the folds notified so far are done. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Resolves `spacingMs` after the last fold started, or on the next tick. */
  private spacingElapsed(): Promise<void> {
    const wait = this.lastFoldAt + this.spacingMs - performance.now();
    return new Promise(done =>
      wait > 0 ? setTimeout(done, wait) : setImmediate(done),
    );
  }

  /** One fold of the Records notified so far; `notify` schedules the next. */
  private async foldNotified(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty = new Set();
    this.lastFoldAt = performance.now();
    try {
      await this.store.foldPending(ids);
    } catch (error) {
      // The events stay queued: the next read, notification or sweep folds them.
      this.logger.warn(
        `Phaset: could not fold the DORA facts of ${ids.length} Record(s): ${error}`,
      );
    }
  }
}
