import { MemoryRateLimiter } from '../../../../lib/rate-limit/memory/memory-rate-limiter';
import { parseRate } from '../../../../lib/rate-limit/rate';

describe('rate limits', () => {
  it('reserves one slot per interval, so waiting tasks keep their place', () => {
    const limiter = new MemoryRateLimiter();
    const rate = parseRate('10/s')!;
    const t0 = 1_000_000;
    expect(limiter.reserveNow('a', rate, t0)).toBe(0);
    expect(limiter.reserveNow('a', rate, t0)).toBe(100);
    expect(limiter.reserveNow('a', rate, t0 + 50)).toBe(150);
    expect(limiter.reserveNow('b', rate, t0 + 50)).toBe(0);
    // Idle time does not build a burst (capacity 1, as Celery's bucket).
    expect(limiter.reserveNow('a', rate, t0 + 10_000)).toBe(0);
    expect(limiter.reserveNow('a', rate, t0 + 10_000)).toBe(100);
  });
});
