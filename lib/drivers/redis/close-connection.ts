import type Redis from 'ioredis';

/** QUIT when connected (bounded), else drop the connection: never waits for an outage. */
export async function closeConnection(
  client: Redis,
  waitMs = 1000,
): Promise<void> {
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
