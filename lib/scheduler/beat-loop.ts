import { Clock } from './clock';

/** Node timers take at most 2^31-1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Calls `pass` again and again, sleeping until the time each pass returns. `wake()`
 * cuts a sleep short (a schedule was added or resumed); `stop()` ends the loop after
 * the pass in progress. The pending timer keeps the process alive, as a beat should.
 */
export class BeatLoop {
  private timer: NodeJS.Timeout | null = null;
  private wakeUp: (() => void) | null = null;
  private stopped = false;
  /** A wake() that came during a pass: the next sleep is skipped. */
  private woken = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly pass: () => Promise<number>,
    private readonly clock: Clock,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = this.loop();
  }

  /** Passes now instead of sleeping on. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      const nextAt = await this.pass();
      if (this.stopped) break;
      if (this.woken) continue;
      await this.sleep(
        Math.min(Math.max(0, nextAt - this.clock.now()), MAX_TIMER_MS),
      );
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.wakeUp = null;
        resolve();
      };
      this.wakeUp = done;
      this.timer = setTimeout(done, ms);
    });
  }
}
