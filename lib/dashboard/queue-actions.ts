import { Transport } from '../transports/transport';

/**
 * What the dashboard may do to a queue beyond reading its depth and dead letters.
 * Optional: the Queues page offers a purge only when there is one. By default it is
 * the transport's own `purgeQueue` when the transport has one (`transportQueueActions`).
 */
export interface QueueActions {
  /** Deletes every message waiting in `queue`; resolves with how many. */
  purge(queue: string): Promise<number>;
}

/** The transport's purge, when it has one (the optional `QueuePurge` contract). */
export function transportQueueActions(
  transport: Transport,
): QueueActions | null {
  const purgeable = transport as Transport & {
    purgeQueue?: (queue: string) => Promise<number>;
  };
  if (typeof purgeable.purgeQueue !== 'function') return null;
  return { purge: (queue) => purgeable.purgeQueue!(queue) };
}
