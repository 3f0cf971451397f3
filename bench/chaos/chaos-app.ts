import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { Task, TaskQueueModuleOptions } from '../../lib';
import {
  recordsRedis,
  taskAppModule,
} from '../../test/support/task-app-module';
import { sleep } from '../../test/support/wait';

/** Where a chaos worker consumes, and where its task counts its runs. */
export interface ChaosConfig {
  module: TaskQueueModuleOptions;
  queue: string;
  /** The Redis that keeps the counts: the shared one, never the one a scenario restarts. */
  countsUrl: string;
  /** Hash: task id -> runs started. */
  startedKey: string;
  /** Hash: task id -> runs finished. */
  finishedKey: string;
}

export const CHAOS_CONFIG = Symbol('chaos-config');

/** Counts each run's start and end, so a scenario tells lost from run twice. */
@Injectable()
export class RunCounter implements OnApplicationShutdown {
  private readonly redis: Redis;
  constructor(@Inject(CHAOS_CONFIG) private readonly config: ChaosConfig) {
    this.redis = recordsRedis(config.countsUrl);
  }
  async started(id: string): Promise<void> {
    await this.redis.hincrby(this.config.startedKey, id, 1);
  }
  async finished(id: string): Promise<void> {
    await this.redis.hincrby(this.config.finishedKey, id, 1);
  }
  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

@Injectable()
export class ChaosTasks {
  constructor(private readonly counter: RunCounter) {}

  /**
   * Acks late: a worker killed mid-run leaves the message to the broker, which delivers
   * it again (so a task may run twice, never not at all).
   */
  @Task({ name: 'chaos.work', acksLate: true, ignoreResult: true })
  async work(id: string, ms: number): Promise<void> {
    await this.counter.started(id);
    await sleep(ms);
    await this.counter.finished(id);
  }
}

@Module({})
export class ChaosAppModule {
  static register(config: ChaosConfig): DynamicModule {
    return taskAppModule({
      module: ChaosAppModule,
      options: config.module,
      token: CHAOS_CONFIG,
      config,
      providers: [RunCounter, ChaosTasks],
    });
  }
}
