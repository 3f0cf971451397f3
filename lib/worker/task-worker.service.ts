import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import {
  CONTROL_BUS,
  EVENT_BUS,
  FLEET_RATE_LIMITER,
  LOCAL_RATE_LIMITER,
  RESOLVED_OPTIONS,
  REVOCATION_STORE,
  TRANSPORT,
} from '../options/tokens';
import {
  ResolvedOptions,
  resolveWorkerOptions,
} from '../options/resolve-options';
import { WorkerOptions } from '../options/module-options';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { RevocationStore } from '../results/revocation-store';
import { ControlBus } from '../transports/control-bus';
import { EventBus } from '../transports/event-bus';
import { Transport } from '../transports/transport';
import { TaskLifecycle } from '../lifecycle/task-lifecycle.service';
import { TaskExecutor } from './task-executor.service';
import { TaskFinisher } from './task-finisher.service';
import { TaskWorker } from './task-worker';
import { nodeInfoOf } from './control/node-info';
import { TaskRegistry } from '../registry/task.registry';
import { isPoolChild } from '../options/pool-options';
import { ProcessPool } from './pool/process-pool';

/**
 * The worker of this Nest application: started in onApplicationBootstrap when the
 * module's `worker` option says so (in-process), or by `bootstrapWorker`; stopped in
 * beforeApplicationShutdown, before connections close.
 */
@Injectable()
export class TaskWorkerService
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private worker: TaskWorker | null = null;

  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly executor: TaskExecutor,
    private readonly finisher: TaskFinisher,
    private readonly lifecycle: TaskLifecycle,
    @Inject(CONTROL_BUS) private readonly controlBus: ControlBus | null,
    @Inject(EVENT_BUS) private readonly eventBus: EventBus | null,
    @Inject(REVOCATION_STORE)
    private readonly revocations: RevocationStore | null,
    @Inject(FLEET_RATE_LIMITER)
    private readonly fleetRateLimiter: RateLimiter | null,
    @Inject(LOCAL_RATE_LIMITER)
    private readonly localRateLimiter: RateLimiter,
    private readonly registry: TaskRegistry,
  ) {}

  /** The running worker, if any. */
  get current(): TaskWorker | null {
    return this.worker;
  }

  async onApplicationBootstrap(): Promise<void> {
    // A pool's child only runs the tasks its worker sends it.
    if (this.options.worker && !isPoolChild())
      await this.startWith(this.options.worker);
  }

  /** Starts consuming. A process runs one worker; starting a second one is an error. */
  async start(
    options: WorkerOptions = {},
    keepProcessAlive = false,
  ): Promise<TaskWorker> {
    return this.startWith(
      resolveWorkerOptions(
        { ...options, nodeName: options.nodeName ?? this.options.nodeName },
        this.options.defaultQueue,
      ),
      keepProcessAlive,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.stop();
  }

  /** The pool of child processes, when every task or some task runs in one. */
  private poolFor(
    options: ReturnType<typeof resolveWorkerOptions>,
    standalone: boolean,
  ): { runner: ProcessPool; every: boolean } | null {
    const every = options.pool !== null;
    const isolated = this.registry.all().some((task) => task.policy.isolated);
    if (!every && !isolated) return null;
    const pool = options.pool ?? options.isolatedPool;
    const entry = pool.entry ?? (standalone ? process.argv[1] : null);
    if (!entry) {
      throw new Error(
        'a worker started in-process (the module option `worker`) needs pool.entry to run tasks in ' +
          'child processes: a script that calls bootstrapWorker with the module (see docs/isolation.md)',
      );
    }
    return { runner: new ProcessPool(pool, entry), every };
  }

  private async startWith(
    options: ReturnType<typeof resolveWorkerOptions>,
    keepProcessAlive = false,
  ): Promise<TaskWorker> {
    if (this.worker) {
      throw new Error(
        'a worker already runs in this process (the module option `worker` starts one in-process; ' +
          'do not also call bootstrapWorker / start)',
      );
    }
    this.worker = new TaskWorker(
      {
        transport: this.transport,
        executor: this.executor,
        finisher: this.finisher,
        lifecycle: this.lifecycle,
        controlBus: this.controlBus,
        events: this.eventBus && {
          bus: this.eventBus,
          taskEvents: options.taskEvents ?? this.options.events.tasks,
          heartbeatMs: this.options.events.heartbeatMs,
        },
        revocations: this.revocations,
        revokeExpiresSeconds: this.options.revokeExpiresSeconds,
        localRateLimiter: this.localRateLimiter,
        fleetRateLimiter: this.fleetRateLimiter,
        keepProcessAlive,
        nodeInfo: nodeInfoOf(this.options, options, this.transport.kind),
        // A worker process stops as on SIGTERM (bootstrapWorker enables the shutdown
        // hooks); a worker inside an HTTP app stops consuming, the app goes on.
        onShutdownCommand: keepProcessAlive
          ? () => process.kill(process.pid, 'SIGTERM')
          : undefined,
        pool: this.poolFor(options, keepProcessAlive),
      },
      options,
    );
    await this.worker.start();
    return this.worker;
  }
}
