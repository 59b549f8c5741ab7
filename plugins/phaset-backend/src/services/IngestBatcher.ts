import { EventStore, IngestJob, IngestOutcome } from '../database/EventStore';

type Pending = {
  job: IngestJob;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
};

/**
 * Group commit for event ingestion: deliveries that arrive while a write is
 * under way are stored together by the next write, in one transaction with
 * multi-row INSERTs. Each caller's promise settles only after that commit, so
 * an acknowledged event is durable. Under no load a delivery is written on the
 * next tick, so batching adds no fixed delay.
 */
export class IngestBatcher {
  private queue: Pending[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly maxBatch = 1000,
  ) {}

  submit(job: IngestJob): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.writing) {
        this.writing = new Promise(done => setImmediate(done)).then(() =>
          this.drain(),
        );
      }
    });
  }

  /** Resolves once every delivery submitted so far is written. */
  async idle(): Promise<void> {
    while (this.writing) {
      await this.writing;
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const outcomes = await this.store.write(batch.map(p => p.job));
        batch.forEach((p, i) => p.resolve(outcomes[i]));
      } catch (error) {
        // One bad delivery must not fail the others: retry them one by one.
        if (batch.length === 1) {
          batch[0].reject(error);
          continue;
        }
        for (const p of batch) {
          await this.store.write([p.job]).then(([o]) => p.resolve(o), p.reject);
        }
      }
    }
    this.writing = undefined;
  }
}
