import type Redis from 'ioredis';

/** How a wait for the connection ended. */
export type ReadyOutcome = 'ready' | 'closed' | 'timeout';

/**
 * Waits until `client` is ready (connecting now if it connects lazily), or ends (closed,
 * or refused: see refusalOf), or `waitMs` passed.
 */
export function waitUntilReady(
  client: Redis,
  waitMs: number,
): Promise<ReadyOutcome> {
  if (client.status === 'ready') return Promise.resolve('ready');
  if (client.status === 'end') return Promise.resolve('closed');
  if (client.status === 'wait') client.connect().catch(() => undefined);
  return new Promise((resolve) => {
    const settle = (outcome: ReadyOutcome) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('end', onEnd);
      resolve(outcome);
    };
    const onReady = () => settle('ready');
    const onEnd = () => settle('closed');
    const timer = setTimeout(() => settle('timeout'), waitMs);
    client.once('ready', onReady);
    client.once('end', onEnd);
  });
}
