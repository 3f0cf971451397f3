import { InFlight } from '../../common/in-flight';

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces the writes made in one turn of the event loop into one call, so a
 * worker finishing a hundred tasks at once costs one round trip, not a hundred.
 * Each `add` resolves or rejects with the call that carried it.
 */
export class TickBatcher<T> {
  private pending: Pending<T>[] = [];
  private scheduled = false;
  private readonly inFlight = new InFlight();

  constructor(
    private readonly send: (items: T[]) => Promise<unknown>,
    private readonly maxBatch = 1000,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Sends what is pending now and resolves when every call made so far is answered. */
  async drain(): Promise<void> {
    this.flush();
    await this.inFlight.whenNone();
  }

  private flush(): void {
    this.scheduled = false;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      const sent = this.send(batch.map((entry) => entry.item)).then(
        () => batch.forEach((entry) => entry.resolve()),
        (error) => batch.forEach((entry) => entry.reject(error)),
      );
      this.inFlight.begin();
      void sent.finally(() => this.inFlight.end());
    }
  }
}
