import type Redis from 'ioredis';
import { waitUntilReady } from './wait-ready';

/** QUIT when connected (bounded), else drop the connection: never waits for an outage. */
export async function closeConnection(
  client: Redis,
  waitMs = 1000,
): Promise<void> {
  await settleHandshake(client, waitMs);
  if (client.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.quit().catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, waitMs))),
    ]);
    clearTimeout(timer);
  }
  client.disconnect();
}

/** Drops the connection without QUIT (a blocking command may hold it). */
export async function dropConnection(
  client: Redis,
  waitMs = 1000,
): Promise<void> {
  await settleHandshake(client, waitMs);
  client.disconnect();
}

/**
 * Lets a connection that is opening finish its handshake first (one round trip, bounded).
 * ioredis 5 disconnects a client dropped during its ready check a second time when that
 * check fails, after the socket closed: that disconnect arms a 2 s timer nothing clears,
 * and the process lingers on after the app closed.
 */
async function settleHandshake(client: Redis, waitMs: number): Promise<void> {
  if (client.status === 'connecting' || client.status === 'connect')
    await waitUntilReady(client, waitMs);
}
