import { LinkedSet } from '../../common/linked-set';

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
  /** The calls sent and not answered yet (a LinkedSet: see there why not a Set). */
  private readonly inFlight = new LinkedSet<Promise<void>>();

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
    await Promise.allSettled(this.inFlight.values());
  }

  private flush(): void {
    this.scheduled = false;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      const sent = this.send(batch.map((entry) => entry.item)).then(
        () => batch.forEach((entry) => entry.resolve()),
        (error) => batch.forEach((entry) => entry.reject(error)),
      );
      const entry = this.inFlight.add(sent);
      void sent.finally(() => this.inFlight.remove(entry));
    }
  }
}
