import { Logger } from '@nestjs/common';
import { WorkerEventsConfig } from '../events/worker-events';
import { TaskLifecycle } from '../lifecycle/task-lifecycle.service';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { RevocationStore } from '../results/revocation-store';
import { ControlBus } from '../transports/control-bus';
import { Transport } from '../transports/transport';
import { NodeInfo } from './control/control-command';
import { ProcessPool } from './pool/process-pool';
import { TaskExecutor } from './task-executor.service';
import { TaskFinisher } from './task-finisher.service';

/** What a TaskWorker is built with: its broker, its runners, and who it tells. */
export interface TaskWorkerDeps {
  transport: Transport;
  executor: TaskExecutor;
  finisher: TaskFinisher;
  /** Told what happens to each task (events, metrics, tracing). */
  lifecycle: TaskLifecycle;
  /**
   * Celery's remote control (revoke, inspect, control commands); null when the broker
   * has no control bus: then the worker is no Celery node and hears no revokes live.
   */
  controlBus?: ControlBus | null;
  /**
   * Celery's events (worker-online, heartbeats, task events when on); null when the
   * broker has no event bus.
   */
  events?: WorkerEventsConfig | null;
  /** What `inspect stats` / `conf` / `report` tell about this worker. */
  nodeInfo?: Omit<NodeInfo, 'startedAt'>;
  /** The `shutdown` command: default, the worker stops (bootstrapWorker: SIGTERM). */
  onShutdownCommand?: (reason: string) => void;
  /** Revokes kept for workers that start later; null when nowhere. */
  revocations?: RevocationStore | null;
  /** How long a revoke heard live is kept, in seconds. */
  revokeExpiresSeconds?: number;
  /** Counts `rateLimit` (per worker process): a fresh limiter per worker. */
  localRateLimiter: RateLimiter;
  /** The fleet-wide rate limiter; null without a rateLimitStore. */
  fleetRateLimiter?: RateLimiter | null;
  /** Hold the process open while consuming (a standalone worker), whatever the broker keeps open. */
  keepProcessAlive?: boolean;
  /** The child processes of isolated tasks (every task when `every`); null when none. */
  pool?: { runner: ProcessPool; every: boolean } | null;
  logger?: Logger;
}
