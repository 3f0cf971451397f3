import type Redis from 'ioredis';

/**
 * Publishes an envelope with plain commands, the cheapest round trip Redis offers for
 * it: LPUSH, as kombu does, and when that made the list non-empty, a ZADD of the
 * queue's wake marker for idle consumers. Waking only then is enough: a consumer goes
 * idle only after a fetch found the lists empty, and a fetch that fills its batch and
 * leaves messages behind sets the marker itself. The ZADD is not awaited: if it is
 * lost with the connection, idle consumers still fetch within `idlePollMs`.
 */
export async function pushEnvelope(
  client: Redis,
  list: string,
  wake: string,
  envelope: string,
): Promise<void> {
  const length = await client.lpush(list, envelope);
  if (length === 1) client.zadd(wake, 0, '1').catch(() => undefined);
}
