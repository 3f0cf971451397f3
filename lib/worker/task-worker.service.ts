import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { RESOLVED_OPTIONS, RESULT_BACKEND, TRANSPORT } from '../module/tokens';
import {
  ResolvedOptions,
  resolveWorkerOptions,
} from '../module/resolve-options';
import { WorkerOptions } from '../module/task-queue-options';
import { ResultBackend } from '../results/result-backend';
import { Transport } from '../transports/transport';
import { TaskExecutor } from './task-executor';
import { TaskWorker } from './task-worker';

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
    @Inject(RESULT_BACKEND) private readonly backend: ResultBackend,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly executor: TaskExecutor,
  ) {}

  /** The running worker, if any. */
  get current(): TaskWorker | null {
    return this.worker;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.worker) await this.startWith(this.options.worker);
  }

  /** Starts consuming. A process runs one worker; starting a second one is an error. */
  async start(
    options: WorkerOptions = {},
    keepProcessAlive = false,
  ): Promise<TaskWorker> {
    return this.startWith(
      resolveWorkerOptions(options, this.options.defaultQueue),
      keepProcessAlive,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.stop();
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
        backend: this.backend,
        executor: this.executor,
        resultExpiresSeconds: this.options.resultExpiresSeconds,
        acksLateByDefault: this.options.taskDefaults.acksLate ?? true,
        keepProcessAlive,
      },
      options,
    );
    await this.worker.start();
    return this.worker;
  }
}
