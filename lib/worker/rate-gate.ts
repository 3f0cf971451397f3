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

  /**
   * Milliseconds until `request` may run (0: now), having taken its slot; or, when
   * the fleet store did not answer, how long to wait before asking again
   * (`reserved: false`).
   */
  async wait(
    task: RegisteredTask,
    request: TaskRequest,
  ): Promise<{ waitMs: number; reserved: boolean }> {
    const slot = this.reservations.get(request.id);
    if (slot !== undefined) {
      this.reservations.delete(request.id);
      return { waitMs: Math.max(0, slot - Date.now()), reserved: true };
    }
    const { rateLimit, fleetRateLimit } = task.policy;
    const [local, fleet] = await Promise.all([
      rateLimit ? this.local.reserve(task.name, rateLimit) : 0,
      fleetRateLimit && this.fleet
        ? this.reserveFleet(task, fleetRateLimit)
        : 0,
    ]);
    if (fleet === null) return { waitMs: STORE_DOWN_WAIT_MS, reserved: false };
    return { waitMs: Math.max(local, fleet), reserved: true };
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
  ): Promise<number | null> {
    try {
      return await this.fleet!.reserve(task.name, rate);
    } catch (error) {
      this.logger.warn(
        `Fleet rate limit of ${task.name} could not be checked (${String(error)}): asking again in ${STORE_DOWN_WAIT_MS} ms`,
      );
      return null;
    }
  }
}
