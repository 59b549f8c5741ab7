import { RateLimiter, TooManyRequestsError } from './RateLimiter';

describe('RateLimiter', () => {
  it('allows `limit` requests per window and key, then 429 with the seconds to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 60_000, () => now);
    limiter.take('a');
    limiter.take('a');
    limiter.take('b');
    now = 15_000;
    let error: unknown;
    try {
      limiter.take('a');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect(error).toMatchObject({
      statusCode: 429,
      retryAfterSeconds: 45,
      message: 'Rate limit of 2 requests per 60s exceeded for this Record',
    });
    expect(() => limiter.take('b', 'failed authentications')).not.toThrow();
    expect(() => limiter.take('b', 'failed authentications')).toThrow(
      /exceeded for failed authentications/,
    );
  });

  it('renews the budget when the window ends', () => {
    let now = 0;
    const limiter = new RateLimiter(1, 1000, () => now);
    limiter.take('a');
    expect(() => limiter.take('a')).toThrow(TooManyRequestsError);
    now = 1000;
    expect(() => limiter.take('a')).not.toThrow();
  });

  it('is off with a limit of 0', () => {
    const limiter = new RateLimiter(0);
    expect(() => {
      for (let i = 0; i < 1000; i++) limiter.take('a');
    }).not.toThrow();
  });
});
