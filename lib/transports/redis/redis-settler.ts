import type Redis from 'ioredis';
import { RedisDeadLetterBox } from './dead-letter-box';
import { RedisKeys } from './keys';
import {
  ackScript,
  deadLetterScript,
  deferScript,
  giveBackScript,
  renewScript,
  requeueScript,
} from '../../drivers/redis/scripts';
import { DeliverySettler, RedisDelivery, Settlement } from './redis-delivery';
import { TickBatcher } from '../../drivers/redis/tick-batcher';
import { LinkedSet } from '../../common/linked-set';

/**
 * Knows every delivery this transport holds and settles them in Redis. Settling
 * frees the consumer's slot at once; the Redis write follows (acks batched).
 */
export class RedisSettler implements DeliverySettler {
  private readonly held = new LinkedSet<RedisDelivery>();
  private readonly acks: TickBatcher<string>;
  private closed = false;

  constructor(
    private readonly client: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.acks = new TickBatcher<string>((tags) =>
      ackScript.run(client, this.indexKeys(), tags),
    );
  }

  hold(delivery: RedisDelivery): void {
    delivery.heldAs = this.held.add(delivery);
  }

  heldTags(): string[] {
    return this.held.values().map((delivery) => delivery.tag);
  }

  /**
   * A renewal found these deliveries gone (someone else holds them now): no longer
   * held. One pass over what is held, however many were lost.
   */
  lost(tags: readonly string[]): RedisDelivery[] {
    const wanted = new Set(tags);
    const lost = this.held.values().filter((held) => wanted.has(held.tag));
    for (const delivery of lost) this.held.remove(delivery.heldAs!);
    return lost;
  }

  async settle(delivery: RedisDelivery, settlement: Settlement): Promise<void> {
    if (delivery.settled) return;
    delivery.markSettled();
    const wasHeld =
      delivery.heldAs !== undefined && this.held.remove(delivery.heldAs);
    delivery.freePlace();
    // After close() the delivery was given back (or left to its lease): nothing to do.
    if (this.closed || !wasHeld) return;
    const { queue, tag, raw } = delivery;
    switch (settlement.kind) {
      case 'ack':
        return this.acks.add(tag);
      case 'requeue':
        await requeueScript.run(
          this.client,
          [
            ...this.indexKeys(),
            this.keys.list(queue, delivery.bucket),
            this.keys.wake(queue),
          ],
          [tag, raw],
        );
        return;
      case 'defer':
        await deferScript.run(
          this.client,
          [
            ...this.indexKeys(),
            this.keys.delayed(queue),
            this.keys.wake(queue),
          ],
          [tag, settlement.until.getTime(), `${delivery.bucket}${raw}`],
        );
        return;
      case 'deadLetter': {
        await deadLetterScript.run(
          this.client,
          [...this.indexKeys(), this.keys.dead(queue)],
          [tag, RedisDeadLetterBox.record(queue, settlement.reason, raw)],
        );
        return;
      }
    }
  }

  /** Renews the leases of the given tags; returns those that are gone. */
  async renew(tags: string[], leaseMs: number): Promise<string[]> {
    const lost = await renewScript.run(this.client, this.indexKeys(), [
      leaseMs,
      ...tags,
    ]);
    return Array.isArray(lost) ? (lost as string[]) : [];
  }

  /** Puts deliveries back at the front of their queues now. */
  async giveBack(tags: string[]): Promise<void> {
    for (let i = 0; i < tags.length; i += 1000) {
      await giveBackScript.run(this.client, this.indexKeys(), [
        ...this.keys.luaLayout,
        ...tags.slice(i, i + 1000),
      ]);
    }
  }

  /** Flushes pending acks, then gives back everything still held. */
  async close(): Promise<void> {
    await this.acks.drain();
    this.closed = true;
    const tags = this.heldTags();
    this.held.clear();
    await this.giveBack(tags);
  }

  private indexKeys(): string[] {
    return [this.keys.unacked, this.keys.unackedIndex, this.keys.leases];
  }
}
