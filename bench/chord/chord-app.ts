import { Injectable, Module } from '@nestjs/common';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Task, TaskQueueModule } from '../../lib';
import { ChordPlace } from './chord-place';

/** The chord bench's tasks, named as chord_bench.py names Celery's. */
@Injectable()
export class ChordTasks {
  @Task('bench.add')
  add(a: number, b: number): number {
    return a + b;
  }

  @Task('bench.tsum')
  tsum(numbers: number[]): number {
    return numbers.reduce((total, n) => total + n, 0);
  }
}

/** A Celeriac app on the place's Redis (broker and results): a worker at `concurrency`, or a producer (0). */
export async function openChordApp(
  place: ChordPlace,
  concurrency: number,
): Promise<INestApplicationContext> {
  @Module({
    imports: [
      TaskQueueModule.forRoot({
        broker: place.redisUrl,
        backend: place.redisUrl,
        brokerOptions: { keyPrefix: place.prefix },
        backendOptions: { keyPrefix: place.prefix },
        defaultQueue: place.queue,
        worker:
          concurrency > 0 ? { queues: [place.queue], concurrency } : false,
      }),
    ],
    providers: [ChordTasks],
  })
  class ChordBenchModule {}
  return NestFactory.createApplicationContext(ChordBenchModule, {
    logger: ['error'],
  });
}
