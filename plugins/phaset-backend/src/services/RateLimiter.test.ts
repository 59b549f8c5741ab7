import { RateLimiter, TooManyRequestsError } from './RateLimiter';

describe('RateLimiter', () => {
  it('refuses the request past the budget and says when to retry', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(2, 60_000, () => now);
    limiter.take('a');
    now += 15_000;
    limiter.take('a');
    limiter.take('b');
    let refused: unknown;
    try {
      limiter.take('a');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as TooManyRequestsError).retryAfterSeconds).toBe(45);
    now += 45_000;
    expect(() => limiter.take('a')).not.toThrow();
  });
});
