import type Redis from 'ioredis';

/**
 * Publishes an envelope with plain commands, the cheapest round trip Redis offers for
 * it: LPUSH, as kombu does, and a ZADD of the queue's wake marker for idle consumers
 * when the list was empty. Waking only then is enough: a consumer goes idle only after
 * a fetch found the lists empty, and a fetch that fills its batch and leaves messages
 * behind sets the marker itself.
 *
 * With `wakeNow` (the list was empty at the last push, so a consumer is likely waiting)
 * the ZADD goes out with the LPUSH instead of after its reply, which saves the waiting
 * consumer a round trip; a needless wake-up costs one empty fetch. The ZADD is never
 * awaited: if it is lost with the connection, idle consumers still fetch within
 * `idlePollMs`. Resolves with the list's length after the push.
 */
export async function pushEnvelope(
  client: Redis,
  list: string,
  wake: string,
  envelope: string,
  wakeNow = false,
): Promise<number> {
  const pushed = client.lpush(list, envelope);
  if (wakeNow) setWakeMarker(client, wake);
  const length = await pushed;
  if (length === 1 && !wakeNow) setWakeMarker(client, wake);
  return length;
}

function setWakeMarker(client: Redis, wake: string): void {
  client.zadd(wake, 0, '1').catch(() => undefined);
}
