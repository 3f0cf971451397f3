import { availableParallelism } from 'node:os';
import { resolvePoolOptions } from '../../../lib/options/pool-options';
import { resolveWorkerOptions } from '../../../lib/options/resolve-options';

describe('pool options', () => {
  it("'auto' and the default are the number of CPUs", () => {
    expect(resolvePoolOptions({}).processes).toBe(availableParallelism());
    expect(resolvePoolOptions({ processes: 'auto' }).processes).toBe(
      availableParallelism(),
    );
  });

  it('refuses what is not a whole number of at least 1', () => {
    expect(() => resolvePoolOptions({ processes: 0 })).toThrow(RangeError);
    expect(() => resolvePoolOptions({ maxTasksPerChild: 1.5 })).toThrow(
      /maxTasksPerChild/,
    );
  });

  it('makes concurrency processes x childConcurrency unless it is given', () => {
    expect(
      resolveWorkerOptions(
        { pool: { processes: 3, childConcurrency: 2 } },
        'celery',
      ).concurrency,
    ).toBe(6);
    expect(
      resolveWorkerOptions({ pool: { processes: 3 }, concurrency: 1 }, 'celery')
        .concurrency,
    ).toBe(1);
    expect(resolveWorkerOptions({}, 'celery').pool).toBeNull();
  });
});
