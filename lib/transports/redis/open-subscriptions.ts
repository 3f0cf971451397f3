/** A subscription a Redis channel opens: a connection of its own, started and closed once. */
interface Subscription {
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The subscriptions a channel opened and that are not closed yet: each leaves the set
 * when it closes; `closeAll` closes the rest (the channel's own close).
 */
export class OpenSubscriptions<S extends Subscription> {
  private readonly subscriptions = new Set<S>();

  /** Starts the subscription `make` builds; one that fails to start is closed, and the error thrown. */
  async open(make: (leave: () => void) => S): Promise<S> {
    const subscription = make(() => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    try {
      await subscription.start();
    } catch (error) {
      await subscription.close();
      throw error;
    }
    return subscription;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.subscriptions].map((each) => each.close()));
  }
}
