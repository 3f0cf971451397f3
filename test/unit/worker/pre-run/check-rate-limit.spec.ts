import { MemoryRateLimiter } from '../../../../lib/rate-limit/memory/memory-rate-limiter';
import {
  RATE_HOLD_MAX_MS,
  checkRateLimit,
} from '../../../../lib/worker/pre-run/check-rate-limit';
import { PreRunJob } from '../../../../lib/worker/pre-run/pre-run-step';
import { RateGate } from '../../../../lib/worker/rate-gate';
import { job, request, task } from './pre-run-fixtures';

describe('pre-run check: rate limit', () => {
  const gate = () => new RateGate(new MemoryRateLimiter(), null);

  it('runs a task without a rate limit at once', async () => {
    const check = checkRateLimit(gate(), () => true);
    expect(await check.check(job())).toEqual({ action: 'run' });
  });

  it('holds a task whose slot is near, then lets it run when it comes back', async () => {
    const check = checkRateLimit(gate(), () => true);
    const limited = task({ rateLimit: '2/s' }); // a slot every 500 ms
    expect(await check.check(job(request(), limited))).toEqual({
      action: 'run',
    });
    const second: PreRunJob = job(request(), limited);
    const decision = await check.check(second);
    expect(decision).toMatchObject({ action: 'hold' });
    const ms = (decision as { ms: number }).ms;
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThanOrEqual(RATE_HOLD_MAX_MS);
    // Back from holding: its slot was reserved, so it runs without asking again.
    expect(await check.check(second)).toEqual({ action: 'run' });
  });

  it('defers to the delay store when there is no room to hold', async () => {
    const check = checkRateLimit(gate(), () => false);
    const limited = task({ rateLimit: '2/s' });
    await check.check(job(request(), limited));
    const decision = await check.check(job(request(), limited));
    expect(decision).toMatchObject({ action: 'defer' });
    const until = (decision as { until: Date }).until.getTime();
    expect(until).toBeGreaterThan(Date.now());
  });

  it('defers a slot further away than holding allows', async () => {
    const check = checkRateLimit(gate(), () => true);
    const limited = task({ rateLimit: '1/m' });
    await check.check(job(request(), limited));
    expect(await check.check(job(request(), limited))).toMatchObject({
      action: 'defer',
    });
  });
});
