import type Redis from 'ioredis';
import { RedisKeys } from './keys';
import { sweepScript } from '../../drivers/redis/scripts';
import { RedisTransportLogger } from './redis-transport-options';

const SWEEP_LIMIT = 100;

/**
 * While this process consumes, it restores (like kombu's `restore_visible`, from any
 * process) deliveries whose lease ran out and foreign deliveries older than the
 * visibility timeout.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: Redis,
    private readonly keys: RedisKeys,
    private readonly visibilityTimeout: number,
    private readonly intervalMs: number,
    private readonly logger: RedisTransportLogger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweepNow(), this.intervalMs);
    this.timer.unref();
    void this.sweepNow();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs a sweep (or joins the running one); repeats while a full page came back. */
  sweepNow(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.sweepAll()
      .catch((error: unknown) =>
        this.logger.warn(
          `redis transport: sweep for lost deliveries failed: ${String(error)}`,
        ),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepAll(): Promise<void> {
    for (;;) {
      const result = (await sweepScript.run(
        this.client,
        [
          this.keys.unacked,
          this.keys.unackedIndex,
          this.keys.leases,
          this.keys.unackedMutex,
        ],
        [...this.keys.luaLayout, this.visibilityTimeout, SWEEP_LIMIT],
      )) as number[];
      const [restored, expired = 0, stale = 0] = result;
      if (restored > 0) {
        this.logger.warn(
          `redis transport: restored ${restored} unacknowledged deliveries (lease or visibility timeout ran out)`,
        );
      }
      if (restored <= 0 || (expired < SWEEP_LIMIT && stale < SWEEP_LIMIT))
        return;
    }
  }
}
