interface PendingAck {
  tag: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces the acks made in one turn of the event loop into one Lua call, so a
 * worker finishing a hundred tasks at once costs one round trip, not a hundred.
 */
export class AckBatcher {
  private pending: PendingAck[] = [];
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly send: (tags: string[]) => Promise<unknown>,
    private readonly maxBatch = 1000,
  ) {}

  add(tag: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ tag, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Sends what is pending now and resolves when every ack sent so far is answered. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.inFlight]);
  }

  private flush(): void {
    this.scheduled = false;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      const sent = this.send(batch.map((ack) => ack.tag)).then(
        () => batch.forEach((ack) => ack.resolve()),
        (error) => batch.forEach((ack) => ack.reject(error)),
      );
      this.inFlight.add(sent);
      void sent.finally(() => this.inFlight.delete(sent));
    }
  }
}
