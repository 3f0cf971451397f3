import { ForbiddenException } from '@nestjs/common';
import { TimeLimitExceeded, UnrecoverableError } from '../../../lib';
import { resolveRetryPolicy } from '../../../lib/registry/retry-policy';
import {
  isAutoretried,
  retryDelayMs,
} from '../../../lib/worker/retry-decision';

class Transient extends Error {}
class Permanent extends Transient {}

describe('retry policy', () => {
  it('retries every error once maxRetries is set, except the never-retried ones', () => {
    const policy = resolveRetryPolicy('task "t"', {
      maxRetries: 5,
      dontAutoretryFor: [Permanent],
    });
    expect(policy.autoretry).toBe('all');
    expect(isAutoretried(policy, new Error('x'))).toBe(true);
    expect(isAutoretried(policy, 'a string thrown')).toBe(true);
    expect(isAutoretried(policy, new Permanent())).toBe(false);
    expect(isAutoretried(policy, new UnrecoverableError('no'))).toBe(false);
    expect(isAutoretried(policy, new TimeLimitExceeded(1))).toBe(false);
    // A guard's refusal: running the task again gets the same answer.
    expect(isAutoretried(policy, new ForbiddenException())).toBe(false);
  });

  it('retries only autoretryFor errors (and subclasses) when given', () => {
    const policy = resolveRetryPolicy('task "t"', {
      autoretryFor: [Transient],
    });
    expect(isAutoretried(policy, new Permanent())).toBe(true);
    expect(isAutoretried(policy, new RangeError())).toBe(false);
  });

  it('backs off exponentially with a cap, with and without full jitter', () => {
    const policy = resolveRetryPolicy('task "t"', {
      retryBackoff: 2,
      retryBackoffMax: 10,
      retryJitter: false,
    });
    expect([0, 1, 2, 3].map((n) => retryDelayMs(policy, n))).toEqual([
      2000, 4000, 8000, 10_000,
    ]);
    const jittered = { ...policy, jitter: true };
    expect(retryDelayMs(jittered, 1, () => 0)).toBe(0);
    expect(retryDelayMs(jittered, 1, () => 0.999_999_9)).toBe(4000);
    expect(retryDelayMs(jittered, 1, () => 0.5)).toBe(2000);
    expect(retryDelayMs(resolveRetryPolicy('t', { retryDelay: '5s' }), 7)).toBe(
      5000,
    );
    expect(
      resolveRetryPolicy('t', { retryBackoff: true }).backoffFactorMs,
    ).toBe(1000);
  });
});
