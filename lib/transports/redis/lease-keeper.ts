import { RedisTransportLogger } from './redis-transport-options';

/**
 * Renews, every interval, the leases of the deliveries this process holds, so a
 * task that runs for an hour is never redelivered while its process lives.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly heldTags: () => string[],
    private readonly renew: (tags: string[]) => Promise<string[]>,
    private readonly onLost: (tags: string[]) => void,
    private readonly intervalMs: number,
    private readonly logger: RedisTransportLogger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.renewNow(), this.intervalMs);
    this.timer.unref();
  }

  renewNow(): Promise<void> {
    if (this.running) return this.running;
    const tags = this.heldTags();
    if (tags.length === 0) return Promise.resolve();
    this.running = this.renewAll(tags)
      .catch((error: unknown) =>
        this.logger.warn(
          `redis transport: lease renewal failed: ${String(error)}`,
        ),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renewAll(tags: string[]): Promise<void> {
    for (let i = 0; i < tags.length; i += 1000) {
      const lost = await this.renew(tags.slice(i, i + 1000));
      if (lost.length > 0) this.onLost(lost);
    }
  }
}
