import { EventStore, IngestJob, WriteOutcome } from '../database/EventStore';

type Pending = {
  job: IngestJob;
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
 * instead of waiting for them. A Record is written by one of them at a time,
 * its deliveries in arrival order: its DORA facts, its webhook's counters and
 * an incident's resolution (copied onto the opened row an earlier delivery
 * inserted) all change rows of that Record, which concurrent transactions
 * would otherwise wait for each other to commit (the fact lock, the counter's
 * row lock) or not yet see. The deliveries a busy Record receives meanwhile
 * make its next write bigger instead. Under no load a delivery is written on
 * the next tick, so batching adds no fixed delay.
 */
export class IngestBatcher {
  private queue: Pending[] = [];
  private scheduled: Promise<void> | undefined;
  private readonly writes = new Set<Promise<void>>();
  /** Records a write in flight holds deliveries of. */
  private readonly writing = new Set<string>();

  constructor(
    private readonly store: EventStore,
    private readonly maxBatch = 1000,
    private readonly maxWrites = DEFAULT_MAX_WRITES,
  ) {}

  submit(job: IngestJob): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
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
      // In arrival order, the deliveries of Records no write holds; a Record
      // whose deliveries do not all fit stays held until this write ends.
      const batch: Pending[] = [];
      const records = new Set<string>();
      const waiting: Pending[] = [];
      for (const pending of this.queue) {
        const recordId = pending.job.raw.record_id;
        if (!this.writing.has(recordId) && batch.length < this.maxBatch) {
          batch.push(pending);
          records.add(recordId);
        } else {
          waiting.push(pending);
        }
      }
      if (batch.length === 0) {
        return;
      }
      this.queue = waiting;
      records.forEach(r => this.writing.add(r));
      const write = this.write(batch).finally(() => {
        records.forEach(r => this.writing.delete(r));
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
