import { DynamicModule, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import {
  Task,
  TaskClient,
  TaskQueueModule,
  TaskQueueModuleOptions,
} from '../../lib';
import { TRANSPORT } from '../../lib/options/tokens';
import { RedisTransport } from '../../lib/transports/redis';
import { BenchPlace } from './names';
import { wallClockMs } from './stats';

/** Collects end-to-end latencies measured by `bench.stamp`. */
@Injectable()
export class LatencyRecorder {
  readonly samples: number[] = [];
  onSample: () => void = () => undefined;

  record(ms: number): void {
    this.samples.push(ms);
    this.onSample();
  }
}

@Injectable()
export class BenchTasks {
  constructor(private readonly recorder: LatencyRecorder) {}

  /** Takes the producers' counter (`send('bench.noop', [i])`), as Python's `noop(*args)`. */
  @Task('bench.noop')
  noop(_i: number): void {}

  /** `sentAt` is the producer's wall clock just before `send` (same machine clock). */
  @Task('bench.stamp')
  stamp(sentAt: number): void {
    this.recorder.record(wallClockMs() - sentAt);
  }
}

@Module({})
class BenchAppModule {
  static register(
    place: BenchPlace,
    withTasks: boolean,
    extra: TaskQueueModuleOptions,
  ): DynamicModule {
    return {
      module: BenchAppModule,
      imports: [
        TaskQueueModule.forRoot({
          broker: place.redisUrl,
          backend: place.redisUrl,
          defaultQueue: place.queue,
          brokerOptions: { keyPrefix: place.celeriacPrefix },
          backendOptions: { keyPrefix: place.celeriacPrefix },
          ...extra,
        }),
      ],
      providers: withTasks ? [LatencyRecorder, BenchTasks] : [],
    };
  }
}

/** A Nest application context with Celeriac on the scenario's place, connected. */
export async function openCeleriac(
  place: BenchPlace,
  withTasks: boolean,
  extra: TaskQueueModuleOptions = observabilityFromEnv(),
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    BenchAppModule.register(place, withTasks, extra),
    { logger: false },
  );
  // One round trip, so that connecting is not part of what is measured.
  await app.get<RedisTransport>(TRANSPORT).size(place.queue);
  await app.get(TaskClient).result('warm-up').state();
  return app;
}

/**
 * `BENCH_OBSERVE` (observability and events sections): `metrics`, `tracing` (the API
 * alone, no SDK: the no-op tracer), `events` (Celery's task events), comma-separated;
 * unset, none.
 */
export function observabilityFromEnv(
  env = process.env,
): TaskQueueModuleOptions {
  const wanted = (env.BENCH_OBSERVE ?? '').split(',').filter(Boolean);
  return {
    ...(wanted.includes('metrics') ? { metrics: true } : {}),
    ...(wanted.includes('tracing') ? { tracing: true } : {}),
    ...(wanted.includes('events') ? { events: true } : {}),
  };
}
