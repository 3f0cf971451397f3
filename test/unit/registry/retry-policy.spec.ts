import { InvalidTaskOptionError } from '../../../lib';
import {
  resolveRetryPolicy,
  retryHeaderOf,
  withRetryHeader,
} from '../../../lib/registry/retry-policy';
import { isAutoretried } from '../../../lib/worker/retry-decision';

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
