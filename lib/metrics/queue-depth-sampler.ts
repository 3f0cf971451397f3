import { QueueDepth, QueueInspection } from '../transports/transport';

/**
 * Reads the depth of some queues every `intervalMs` (one call per queue, never two
 * rounds at once) and keeps the last reading for the gauges. A failed round clears the
 * readings (a stale depth would mislead) and is reported once until one succeeds.
 */
export class QueueDepthSampler {
  private timer: NodeJS.Timeout | null = null;
  private latest: readonly QueueDepth[] = [];
  private sampling = false;
  private failing = false;

  constructor(
    private readonly inspection: QueueInspection,
    /** The queues to read, asked at each round (the worker's may come later). */
    private readonly queues: () => readonly string[],
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  get depths(): readonly QueueDepth[] {
    return this.latest;
  }

  start(): void {
    if (this.timer) return;
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round now (also what the timer runs). */
  async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      this.latest = await Promise.all(
        this.queues().map((queue) => this.inspection.queueDepth(queue)),
      );
      this.failing = false;
    } catch (error) {
      this.latest = [];
      if (!this.failing) this.onError(error);
      this.failing = true;
    } finally {
      this.sampling = false;
    }
  }
}
