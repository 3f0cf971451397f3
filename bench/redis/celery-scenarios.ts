import { celeryEnqueueOne, celeryProcess } from './celery-side';
import { openProducer } from './producers';
import { Figure, inPlace } from './scenarios';
import { RedisBenchSizes } from './sizes';

/** Python Celery's `send_task`, one at a time (it has no batch send). */
export function celeryEnqueue(
  sizes: RedisBenchSizes,
  redisUrl: string,
): Promise<Figure[]> {
  return inPlace('celery-enqueue', redisUrl, async (place) => [
    {
      scenario: 'enqueue, one at a time',
      value: await celeryEnqueueOne(place, sizes.enqueueOne),
      unit: 'tasks/s',
      better: 'higher',
    },
  ]);
}

/**
 * A Celery worker on the same pre-filled tasks, for at most BENCH_REDIS_CELERY_SECONDS
 * (20). Celeriac fills the queue: its messages are Celery's own, which is also a check
 * that a Python worker runs them.
 */
export function celeryProcessing(
  concurrency: number,
  sizes: RedisBenchSizes,
  redisUrl: string,
): Promise<Figure[]> {
  return inPlace(`celery-process-${concurrency}`, redisUrl, async (place) => {
    const producer = await openProducer('celeriac', place);
    try {
      for (let i = 0; i < sizes.processing; i += sizes.batch)
        await producer.many(i, Math.min(sizes.batch, sizes.processing - i));
    } finally {
      await producer.close();
    }
    const run = await celeryProcess(
      place,
      concurrency,
      sizes.processing,
      Number(process.env.BENCH_REDIS_CELERY_SECONDS ?? 20) * 1000,
    );
    const figures: Figure[] = [
      {
        scenario: `process, concurrency ${concurrency}`,
        value: (run.done * 1000) / run.ms,
        unit: 'tasks/s',
        better: 'higher',
      },
    ];
    if (concurrency === Math.max(...sizes.concurrencies)) {
      const suffix = `(c=${concurrency})`;
      figures.push(
        {
          scenario: `worker CPU per task ${suffix}`,
          value: run.cpuUsPerTask,
          unit: 'us',
          better: 'lower',
        },
        {
          scenario: `worker RSS peak ${suffix}`,
          value: run.peakMb,
          unit: 'MB',
          better: 'lower',
        },
        {
          scenario: `worker RSS steady ${suffix}`,
          value: run.steadyMb,
          unit: 'MB',
          better: 'lower',
        },
      );
    }
    return figures;
  });
}
