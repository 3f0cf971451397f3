import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ResolvedOptions } from '../options/resolve-options';
import { RESOLVED_OPTIONS, TRANSPORT } from '../options/tokens';
import { BeatService } from '../scheduler/beat.service';
import { Transport, hasConnectionState } from '../transports/transport';
import { TaskWorkerService } from '../worker/task-worker.service';
import { TaskQueueHealthReport, assessHealth } from './health-report';

/**
 * The health of this process's task queue, for readiness and liveness probes, with or
 * without Terminus: the broker connected, the worker (if one runs here) consuming,
 * beat (if it runs here) ticking, and the age of the last heartbeat. Reading it costs
 * no broker round trip; the heartbeat is a timer every `health.heartbeatInterval`
 * (2 s), started by the first check, that notes the broker connection up.
 *
 * ```ts
 * const report = await this.health.check();
 * if (report.status === 'down') throw new ServiceUnavailableException(report);
 * ```
 */
@Injectable()
export class TaskQueueHealth implements OnApplicationShutdown {
  private lastHeartbeatAt = Date.now();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(TRANSPORT) private readonly transport: Transport,
    private readonly workers: TaskWorkerService,
    private readonly beat: BeatService,
  ) {}

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The report now; `status` is 'down' with `problems` when anything is wrong. */
  async check(): Promise<TaskQueueHealthReport> {
    if (!this.timer) {
      // Nothing runs for health until something asks (a probe asks again and again).
      this.timer = setInterval(
        () => this.heartbeat(),
        this.options.health.heartbeatIntervalMs,
      );
      this.timer.unref();
    }
    this.heartbeat();
    const worker = this.workers.current;
    const pass = this.beat.lastPass;
    return assessHealth(
      {
        broker: { kind: this.transport.kind, connected: this.connected() },
        worker: worker && {
          consuming: worker.consuming,
          running: worker.running,
          prefetched: worker.prefetched,
        },
        beat:
          this.beat.running && pass.at !== null
            ? { lastPassAt: pass.at, maxSleepMs: pass.maxSleepMs }
            : null,
        lastHeartbeatAt: this.lastHeartbeatAt,
        heartbeatIntervalMs: this.options.health.heartbeatIntervalMs,
      },
      Date.now(),
    );
  }

  private heartbeat(): void {
    if (this.connected() !== false) this.lastHeartbeatAt = Date.now();
  }

  private connected(): boolean | null {
    return hasConnectionState(this.transport) ? this.transport.connected : null;
  }
}
