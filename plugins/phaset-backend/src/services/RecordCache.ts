type Entry = {
  expires: number;
  organizationId: Promise<string | undefined>;
};

/**
 * Which organisation a Record belongs to, for the token-in-path routes, so
 * that a busy webhook costs no Record query per request. Only Records that
 * exist are kept (an unknown id is looked up again each time, so made-up ids
 * cannot fill memory), at most `maxEntries` of them, each for `ttlMs`:
 * another instance's deletion is seen within that time.
 */
export class RecordCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly lookup: (recordId: string) => Promise<string | undefined>,
    private readonly ttlMs = 1000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The Record's organisation, or undefined when there is no such Record. */
  organizationOf(recordId: string): Promise<string | undefined> {
    const cached = this.entries.get(recordId);
    if (cached && cached.expires >= this.now()) {
      return cached.organizationId;
    }
    const entry: Entry = {
      expires: this.now() + this.ttlMs,
      organizationId: this.lookup(recordId),
    };
    // Concurrent requests share the one look-up in flight.
    this.entries.delete(recordId);
    if (this.entries.size >= this.maxEntries) {
      // The oldest entry (Maps iterate in insertion order).
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(recordId, entry);
    const forgetUnlessKnown = () => {
      if (this.entries.get(recordId) === entry) {
        this.entries.delete(recordId);
      }
    };
    entry.organizationId.then(organizationId => {
      if (organizationId === undefined) forgetUnlessKnown();
    }, forgetUnlessKnown);
    return entry.organizationId;
  }

  /** Drops the Record at once, e.g. after this instance deleted it. */
  forget(recordId: string): void {
    this.entries.delete(recordId);
  }

  get size(): number {
    return this.entries.size;
  }
}
