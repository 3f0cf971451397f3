import { Logger } from '@nestjs/common';
import { TaskRequest } from '../protocol';
import { RegisteredTask } from '../registry/registered-task';
import { RateLimiter } from '../rate-limit/rate-limiter';

/** How long to wait before asking again when the fleet store does not answer. */
const STORE_DOWN_WAIT_MS = 1000;
/** Reservations remembered for deferred tasks, before old ones are pruned. */
const MAX_RESERVATIONS = 10_000;

/**
 * Decides when a rate-limited task may run: reserves its slot on the worker's own
 * limiter (`rateLimit`) and on the fleet's (`fleetRateLimit`), and remembers the slot
 * of a task it deferred, so that when the task comes back it runs in its slot instead
 * of queueing again behind everything reserved since.
 */
export class RateGate {
  private readonly reservations = new Map<string, number>();
  private readonly logger = new Logger('TaskWorker');

  constructor(
    private readonly local: RateLimiter,
    private readonly fleet: RateLimiter | null,
  ) {}

  /** Milliseconds until `request` may run (0: now); takes its slot. */
  async wait(task: RegisteredTask, request: TaskRequest): Promise<number> {
    const reserved = this.reservations.get(request.id);
    if (reserved !== undefined) {
      this.reservations.delete(request.id);
      return Math.max(0, reserved - Date.now());
    }
    const { rateLimit, fleetRateLimit } = task.policy;
    const [local, fleet] = await Promise.all([
      rateLimit ? this.local.reserve(task.name, rateLimit) : 0,
      fleetRateLimit && this.fleet
        ? this.reserveFleet(task, fleetRateLimit)
        : 0,
    ]);
    return Math.max(local, fleet);
  }

  /** Remembers that `taskId` was deferred to its slot at `at` (ms). */
  remember(taskId: string, at: number): void {
    this.reservations.set(taskId, at);
    if (this.reservations.size <= MAX_RESERVATIONS) return;
    const stale = Date.now() - 60_000;
    for (const [id, time] of this.reservations) {
      if (time < stale) this.reservations.delete(id);
    }
  }

  private async reserveFleet(
    task: RegisteredTask,
    rate: NonNullable<RegisteredTask['policy']['fleetRateLimit']>,
  ): Promise<number> {
    try {
      return await this.fleet!.reserve(task.name, rate);
    } catch (error) {
      this.logger.warn(
        `Fleet rate limit of ${task.name} could not be checked (${String(error)}): waiting ${STORE_DOWN_WAIT_MS} ms`,
      );
      return STORE_DOWN_WAIT_MS;
    }
  }
}
