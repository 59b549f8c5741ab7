import {
  dependsOnEarlierWrites,
  EventStore,
  IngestJob,
  WriteOutcome,
} from '../database/EventStore';

type Pending = {
  job: IngestJob;
  /** Must not be written while an earlier write is still under way. */
  ordered: boolean;
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: unknown) => void;
};

/** Writes in flight at once: each holds one pooled connection while it runs. */
export const DEFAULT_MAX_WRITES = 3;

/**
 * Group commit for event ingestion: deliveries that arrive while the writes
 * in flight are under way are stored together by the next write, in one
 * transaction with multi-row INSERTs. Each caller's promise settles only
 * after that commit, so an acknowledged event is durable.
 *
 * Up to `maxWrites` transactions run at once, so that collecting and parsing
 * the next deliveries overlaps the database round trips of the previous ones
 * instead of waiting for them (with a single writer, throughput was bounded
 * by one transaction's latency). Concurrent writes only insert, and the
 * database's unique indexes keep deduplication exact across them. A delivery
 * whose write updates rows that earlier deliveries inserted (an incident's
 * resolution) waits until every earlier write has committed, exactly as with
 * a single writer. Under no load a delivery is written on the next tick, so
 * batching adds no fixed delay.
 */
export class IngestBatcher {
  private queue: Pending[] = [];
  private scheduled: Promise<void> | undefined;
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly store: EventStore,
    private readonly maxBatch = 1000,
    private readonly maxWrites = DEFAULT_MAX_WRITES,
  ) {}

  submit(job: IngestJob): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        job,
        ordered: dependsOnEarlierWrites(job),
        resolve,
        reject,
      });
      this.schedule();
    });
  }

  /** Resolves once every delivery submitted so far is written. */
  async idle(): Promise<void> {
    while (this.scheduled || this.writes.size > 0) {
      await Promise.all([this.scheduled, ...this.writes]);
    }
  }

  /** Starts the next writes on the next tick, collecting what arrives until then. */
  private schedule() {
    if (
      this.scheduled ||
      this.queue.length === 0 ||
      this.writes.size >= this.maxWrites
    ) {
      return;
    }
    this.scheduled = new Promise<void>(done => setImmediate(done)).then(() => {
      this.scheduled = undefined;
      this.dispatch();
    });
  }

  private dispatch() {
    while (this.queue.length > 0 && this.writes.size < this.maxWrites) {
      let size = Math.min(this.queue.length, this.maxBatch);
      if (this.writes.size > 0) {
        // Deliveries up to the first ordered one may go now; that one waits
        // for the writes in flight (and is retried when each one ends).
        let ordered = 0;
        while (ordered < size && !this.queue[ordered].ordered) {
          ordered++;
        }
        if (ordered === 0) {
          return;
        }
        size = ordered;
      }
      const write = this.write(this.queue.splice(0, size)).finally(() => {
        this.writes.delete(write);
        this.schedule();
      });
      this.writes.add(write);
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.store.write(batch.map(p => p.job));
      batch.forEach((p, i) => p.resolve(outcomes[i]));
    } catch (error) {
      // One bad delivery must not fail the others: retry them one by one.
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      for (const p of batch) {
        await this.store.write([p.job]).then(([o]) => p.resolve(o), p.reject);
      }
    }
  }
}
