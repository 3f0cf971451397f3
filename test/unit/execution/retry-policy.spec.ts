import {
  InvalidTaskOptionError,
  TimeLimitExceeded,
  UnrecoverableError,
} from '../../../lib';
import {
  resolveRetryPolicy,
  retryHeaderOf,
  withRetryHeader,
} from '../../../lib/registry/retry-policy';
import {
  isAutoretried,
  retryDelayMs,
} from '../../../lib/worker/retry-decision';

class Transient extends Error {}
class Permanent extends Transient {}

describe('retry policy', () => {
  it('has Celery’s defaults and retries nothing automatically unless told', () => {
    const policy = resolveRetryPolicy('task "t"', {});
    expect(policy).toMatchObject({
      maxRetries: 3,
      autoretry: 'none',
      delayMs: 180_000,
      backoffFactorMs: null,
      backoffMaxMs: 600_000,
      jitter: true,
    });
    expect(isAutoretried(policy, new Error('x'))).toBe(false);
  });

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

  it('refuses values that do not parse, naming the task and the value', () => {
    const bad: Array<[object, RegExp]> = [
      [{ maxRetries: -1 }, /task "t": maxRetries -1 is not valid/],
      [{ maxRetries: 1.5 }, /maxRetries 1.5/],
      [{ retryBackoff: 'fast' }, /retryBackoff "fast"/],
      [{ retryBackoff: 0 }, /retryBackoff 0/],
      [{ retryBackoffMax: '10 minutes' }, /retryBackoffMax "10 minutes"/],
      [{ retryDelay: -5 }, /retryDelay -5 .*not negative/],
      [{ retryJitter: 'yes' }, /retryJitter "yes"/],
      [{ autoretryFor: ['Error'] }, /autoretryFor \["Error"\]/],
    ];
    for (const [options, message] of bad) {
      expect(() => resolveRetryPolicy('task "t"', options)).toThrow(
        InvalidTaskOptionError,
      );
      expect(() => resolveRetryPolicy('task "t"', options)).toThrow(message);
    }
  });

  it('carries a call’s own options in a header the worker applies', () => {
    const header = retryHeaderOf('call', {
      maxRetries: 2,
      retryBackoff: 0.5,
      retryBackoffMax: '1m',
      retryJitter: false,
      retryDelay: 3,
    });
    expect(header).toEqual({
      max_retries: 2,
      backoff: 0.5,
      backoff_max: 60,
      jitter: false,
      delay: 3,
    });
    expect(retryHeaderOf('call', {})).toBeUndefined();
    const task = resolveRetryPolicy('t', {});
    const applied = withRetryHeader(task, header);
    expect(applied).toMatchObject({
      maxRetries: 2,
      autoretry: 'all',
      backoffFactorMs: 500,
      backoffMaxMs: 60_000,
      jitter: false,
      delayMs: 3000,
    });
    expect(withRetryHeader(task, 'garbage')).toBe(task);
    expect(withRetryHeader(task, { max_retries: -3 })).toEqual(task);
  });
});
