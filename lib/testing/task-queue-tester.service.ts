import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { toMilliseconds } from '../common/duration';
import { MemoryBroker } from '../transports/memory/memory-broker';
import {
  Duration,
  TaskRegistry,
  TaskWorker,
  TaskWorkerService,
} from '../index';
import { TESTING_SETUP, TestingSetup } from './testing-setup';

/** How often drain() looks again while tasks are waiting or running (ms). */
const DRAIN_POLL_MS = 2;

/** Options of `TaskQueueTester.drain`. */
export interface DrainOptions {
  /** Give up after this long (seconds, or '500ms'). Default 10 s. */
  timeout?: Duration;
}

/**
 * The test's handle on its memory broker (from `TaskQueueTestingModule`): how many
 * tasks wait, and `drain()` to run them all and wait until they are done.
 */
@Injectable()
export class TaskQueueTester
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  constructor(
    @Inject(TESTING_SETUP) private readonly setup: TestingSetup,
    private readonly workers: TaskWorkerService,
    private readonly registry: TaskRegistry,
  ) {}

  /** This test's broker URL (`memory://celeriac-test-<uuid>`), also its result store. */
  get brokerUrl(): string {
    return this.setup.brokerUrl;
  }

  /** Messages waiting in `queue` (sent and not yet taken by the worker). */
  waiting(queue: string): number {
    return this.broker().size(queue);
  }

  /**
   * Runs what was sent and resolves once every queue the worker consumes is empty and
   * no task is running, the tasks that those tasks sent included. Starts the worker
   * first when the module was set up with `worker: false`. Rejects after `timeout`,
   * saying what is still waiting or running.
   *
   * Not waited for: tasks held back until later, by a countdown, an eta, a retry's
   * countdown or a rate limit. Use `eager: true` to run those at once.
   */
  async drain(options: DrainOptions = {}): Promise<void> {
    const timeoutMs = toMilliseconds(options.timeout ?? 10, 's', 'timeout');
    const worker = this.workers.current ?? (await this.startWorker());
    const deadline = Date.now() + timeoutMs;
    // Idle twice in a row: a task that just finished may still be sending its children.
    let idleChecks = 0;
    while (idleChecks < 2) {
      idleChecks = this.isIdle(worker) ? idleChecks + 1 : 0;
      if (idleChecks < 2 && Date.now() > deadline) {
        throw new Error(
          `TaskQueueTester.drain: not done after ${timeoutMs} ms (${this.describe(worker)})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.setup.startAtBootstrap) await this.startWorker();
  }

  /** The broker is this test's alone: once the worker stopped, empty it (no timer outlives the test). */
  onApplicationShutdown(): void {
    this.broker().purge();
  }

  private startWorker(): Promise<TaskWorker> {
    const { workerOptions } = this.setup;
    return this.workers.start({
      ...workerOptions,
      queues: [...this.taskQueues(), ...(workerOptions.queues ?? [])],
    });
  }

  /** Every queue a registered task is declared on, and the default queue. */
  private taskQueues(): string[] {
    const queues = new Set([this.setup.fallbackQueue]);
    for (const task of this.registry.all()) {
      queues.add(task.options.queue ?? this.setup.fallbackQueue);
    }
    return [...queues];
  }

  private isIdle(worker: TaskWorker): boolean {
    return (
      worker.inFlight === 0 &&
      worker.options.queues.every((queue) => this.waiting(queue) === 0)
    );
  }

  private describe(worker: TaskWorker): string {
    const waiting = worker.options.queues
      .map((queue) => `${queue}: ${this.waiting(queue)} waiting`)
      .join(', ');
    return `${waiting}; ${worker.inFlight} running`;
  }

  private broker(): MemoryBroker {
    return MemoryBroker.named(this.setup.brokerName);
  }
}
