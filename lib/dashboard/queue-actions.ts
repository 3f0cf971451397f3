/**
 * What the dashboard may do to a queue beyond reading its depth and dead letters.
 * Optional: without it (the default until queue administration provides one) the
 * Queues page offers no purge. Provided through the `DASHBOARD_QUEUE_ACTIONS` token.
 */
export interface QueueActions {
  /** Deletes every message waiting in `queue`; resolves with how many. */
  purge(queue: string): Promise<number>;
}
