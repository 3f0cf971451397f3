import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { Task, TaskQueueModuleOptions } from '../../../lib';
import { recordsRedis, taskAppModule } from '../../support/task-app-module';
import { sleep } from '../../support/wait';

/** Where a pool test runs: the module's options, its queue, and where runs are counted. */
export interface PoolConfig {
  module: TaskQueueModuleOptions;
  queue: string;
  redisUrl: string;
  /** Key under which each run is counted (a hash: task argument -> runs). */
  runsKey: string;
  /** What the injected provider says (DI in the child). */
  greeting: string;
}

export const POOL_CONFIG = Symbol('pool-config');

/** A provider with config, injected into the tasks: it must reach them in the child. */
@Injectable()
export class Greeter implements OnApplicationShutdown {
  readonly redis: Redis;
  constructor(@Inject(POOL_CONFIG) readonly config: PoolConfig) {
    this.redis = recordsRedis(config.redisUrl);
  }
  greet(name: string): string {
    return `${this.config.greeting}, ${name}`;
  }
  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

function spinFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // never yields: only a kill stops it
  }
}

@Injectable()
export class PoolTasks {
  constructor(private readonly greeter: Greeter) {}

  @Task('pool.pid')
  pid(): number {
    return process.pid;
  }

  @Task('pool.greet')
  greet(name: string): { text: string; pid: number } {
    return { text: this.greeter.greet(name), pid: process.pid };
  }

  /** Notes when it started, then spins the CPU without yielding; the hard limit is 1 s. */
  @Task({ name: 'pool.spin', timeLimit: 1 })
  async spin(id: string, ms: number): Promise<string> {
    await this.greeter.redis.hset(
      this.greeter.config.runsKey,
      `${id}:startedAt`,
      Date.now(),
    );
    spinFor(ms);
    return 'spun';
  }

  /** Notes its pid, then spins (no time limit): the orphan test kills its worker meanwhile. */
  @Task('pool.spinWithPid')
  async spinWithPid(id: string, ms: number): Promise<void> {
    await this.greeter.redis.hset(
      this.greeter.config.runsKey,
      `${id}:pid`,
      process.pid,
    );
    spinFor(ms);
  }

  /** Counts its runs, then spins (no time limit): the lease test. */
  @Task('pool.countedSpin')
  async countedSpin(id: string, ms: number): Promise<number> {
    await this.greeter.redis.hincrby(this.greeter.config.runsKey, id, 1);
    spinFor(ms);
    return process.pid;
  }

  @Task('pool.exit')
  exit(): never {
    process.exit(1);
  }

  /** Its first run exits the child; a later one returns its run count (rejectOnWorkerLost). */
  @Task({ name: 'pool.exitOnce', acksLate: true, rejectOnWorkerLost: true })
  async exitOnce(id: string): Promise<number> {
    const runs = await this.countRun(id);
    if (runs === 1) process.exit(1);
    return runs;
  }

  /**
   * Counts its run and notes its pid, then waits (async) `firstRunMs` on its first run
   * only, so that a redelivery finishes at once: the shutdown case.
   */
  @Task({ name: 'pool.hold', acksLate: true })
  async hold(
    id: string,
    firstRunMs: number,
  ): Promise<{ runs: number; pid: number }> {
    const runs = await this.countRun(id);
    await this.greeter.redis.hset(
      this.greeter.config.runsKey,
      `${id}:pid`,
      process.pid,
    );
    if (runs === 1) await sleep(firstRunMs);
    return { runs, pid: process.pid };
  }

  /**
   * Counts its arrival under `group`, then waits (async) until `expected` runs arrived:
   * with childConcurrency 2, two of them meet in one child.
   */
  @Task('pool.meet')
  async meet(group: string, expected: number): Promise<number> {
    const key = this.greeter.config.runsKey;
    await this.greeter.redis.hincrby(key, group, 1);
    const deadline = Date.now() + 20_000;
    while (Number(await this.greeter.redis.hget(key, group)) < expected) {
      if (Date.now() > deadline)
        throw new Error(`only part of ${group} arrived within 20 s`);
      await sleep(20);
    }
    return process.pid;
  }

  /** Keeps `mb` MiB of touched memory in the child for good: past maxMemoryPerChild. */
  @Task('pool.bloat')
  bloat(mb: number): number {
    kept.push(Buffer.alloc(mb * 1024 * 1024, 1));
    return process.pid;
  }

  private countRun(id: string): Promise<number> {
    return this.greeter.redis.hincrby(this.greeter.config.runsKey, id, 1);
  }
}

/** What pool.bloat keeps (module state: it lives as long as the child). */
const kept: Buffer[] = [];

@Module({})
export class PoolAppModule {
  static register(config: PoolConfig): DynamicModule {
    return taskAppModule({
      module: PoolAppModule,
      options: config.module,
      token: POOL_CONFIG,
      config,
      providers: [Greeter, PoolTasks],
    });
  }
}
