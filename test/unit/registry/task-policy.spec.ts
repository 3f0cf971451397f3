import { Task } from '../../../lib';
import { getTaskMetadata } from '../../../lib/decorators/task.decorator';
import { TaskMetadata } from '../../../lib/options/task-options';
import { resolveTaskPolicy } from '../../../lib/registry/task-policy';

function meta(options: Partial<TaskMetadata>): TaskMetadata {
  return { name: 'videos.transcode', ...options };
}

describe('task policy', () => {
  it('takes the task’s options over the module’s defaults', () => {
    const policy = resolveTaskPolicy(
      meta({ maxRetries: 1, timeLimit: '2m', rateLimit: '10/m' }),
      { maxRetries: 5, retryDelay: 1, softTimeLimit: 30, deadLetter: true },
      false,
    );
    expect(policy.retry.maxRetries).toBe(1);
    expect(policy.retry.delayMs).toBe(1000);
    expect(policy.timeLimit).toBe(120);
    expect(policy.softTimeLimit).toBe(30);
    expect(policy.rateLimit?.intervalMs).toBe(6000);
    expect(policy.deadLetter).toBe(true);
    expect(policy.acksLate).toBe(true);
  });

  it('compression: gzip, zlib and brotli pass; bzip2 fails the bootstrap naming the task', () => {
    for (const compression of ['gzip', 'zlib', 'brotli'] as const)
      expect(() =>
        resolveTaskPolicy(meta({ compression }), {}, false),
      ).not.toThrow();
    expect(() =>
      resolveTaskPolicy(meta({ compression: 'bzip2' as 'gzip' }), {}, false),
    ).toThrow(/task "videos.transcode".*compression.*bzip2/);
  });

  it('trackStarted: off by default, the module default, the task over it', () => {
    expect(resolveTaskPolicy(meta({}), {}, false).trackStarted).toBe(false);
    expect(
      resolveTaskPolicy(meta({}), { trackStarted: true }, false).trackStarted,
    ).toBe(true);
    expect(
      resolveTaskPolicy(
        meta({ trackStarted: false }),
        { trackStarted: true },
        false,
      ).trackStarted,
    ).toBe(false);
  });

  it('lets an option left undefined on @Task fall back to the default', () => {
    class Tasks {
      @Task({ name: 't.undefined', maxRetries: undefined })
      run(): void {}
    }
    const metadata = getTaskMetadata(Reflect.get(Tasks.prototype, 'run'))!;
    expect(
      resolveTaskPolicy(metadata, { maxRetries: 4 }, false).retry.maxRetries,
    ).toBe(4);
  });

  it('fails on a value that does not parse, naming the task and the value', () => {
    expect(() =>
      resolveTaskPolicy(meta({ rateLimit: '10/fortnight' }), {}, false),
    ).toThrow(
      /task "videos.transcode": rateLimit "10\/fortnight" is not valid \(expected '10\/s'/,
    );
    expect(() => resolveTaskPolicy(meta({}), { timeLimit: 0 }, false)).toThrow(
      /task "videos.transcode": timeLimit 0 is not valid \(more than 0\)/,
    );
    expect(() =>
      resolveTaskPolicy(meta({ softTimeLimit: 'soon' as never }), {}, false),
    ).toThrow(/softTimeLimit "soon"/);
    expect(() =>
      resolveTaskPolicy(meta({ fleetRateLimit: '5/s' }), {}, false),
    ).toThrow(
      /fleetRateLimit "5\/s" is not valid \(fleet-wide limits need a store/,
    );
    expect(() =>
      resolveTaskPolicy(meta({ deadLetter: true, acksLate: false }), {}, false),
    ).toThrow(/deadLetter true is not valid \(a task acked before it runs/);
  });

  it('priority: a whole number from 0 to 9, else refused at bootstrap', () => {
    for (const priority of [0, 9])
      expect(() =>
        resolveTaskPolicy(meta({ priority }), {}, false),
      ).not.toThrow();
    for (const priority of [42, -1, 1.5, '5'])
      expect(() =>
        resolveTaskPolicy(meta({ priority: priority as number }), {}, false),
      ).toThrow(/priority .* is not valid \(a whole number from 0 to 9\)/);
  });
});
