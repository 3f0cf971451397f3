import type Redis from 'ioredis';

/**
 * Publishes envelopes with plain commands, the cheapest round trip Redis offers for
 * it: LPUSH, as kombu does, and a ZADD of the queue's wake marker for idle consumers
 * when the list was empty. Waking only then is enough: a consumer goes idle only after
 * a fetch found the lists empty, and a fetch that fills its batch and leaves messages
 * behind sets the marker itself.
 *
 * When the list was empty at this pusher's last push to it, a consumer is likely
 * waiting: the ZADD goes out with the LPUSH instead of after its reply, which saves
 * that consumer a round trip (a needless wake-up costs one empty fetch). The ZADD is
 * never awaited: if it is lost with the connection, idle consumers still fetch within
 * `idlePollMs`.
 */
export class EnvelopePusher {
  /** Lists found empty at the last push to them. */
  private readonly emptyAtLastPush = new Set<string>();

  constructor(private readonly client: Redis) {}

  push(list: string, wake: string, envelope: string): Promise<void> {
    const wakeNow = this.emptyAtLastPush.has(list);
    const pushed = this.client.lpush(list, envelope);
    if (wakeNow) this.setWakeMarker(wake);
    // One then, not an async function: a send pays for one promise here, not two.
    return pushed.then((length) => {
      if (length !== 1) {
        this.emptyAtLastPush.delete(list);
        return;
      }
      this.emptyAtLastPush.add(list);
      if (!wakeNow) this.setWakeMarker(wake);
    });
  }

  private setWakeMarker(wake: string): void {
    this.client.zadd(wake, 0, '1').catch(() => undefined);
  }
}
