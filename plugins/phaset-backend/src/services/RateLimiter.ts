import { CustomErrorBase } from '@backstage/errors';

/** Thrown when a budget is spent; answered with 429 and `Retry-After`. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError';
  readonly statusCode = 429;

  constructor(
    message: string,
    /** Seconds until the budget is renewed. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * Fixed-window request budget per key, kept in this backend instance's
 * memory (each replica counts its own requests).
 */
export class RateLimiter {
  private readonly windows = new Map<
    string,
    { start: number; count: number }
  >();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request for `key`; throws when the budget is spent. */
  take(key: string, what = 'this Record'): void {
    if (this.limit <= 0) {
      return;
    }
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size > 10_000) {
        this.evictExpired(now);
      }
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count > this.limit) {
      throw new TooManyRequestsError(
        `Rate limit of ${this.limit} requests per ${
          this.windowMs / 1000
        }s exceeded for ${what}`,
        Math.ceil((window.start + this.windowMs - now) / 1000),
      );
    }
  }

  private evictExpired(now: number) {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) {
        this.windows.delete(key);
      }
    }
  }
}
