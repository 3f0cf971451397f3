/**
 * Key names, in kombu's Redis layout (kombu/transport/redis.py) plus Celeriac's own keys,
 * all behind an optional prefix (kombu's `global_keyprefix`). Lua scripts that learn a
 * queue only at run time build its keys from `luaLayout` (lib/drivers/redis/lua/includes/
 * key-layout.lua): the names are spelled here and nowhere else.
 */

/** kombu's field separator in priority list names and binding members. */
export const KOMBU_SEP = '\x06\x16';

/** kombu's `priority_steps`: 0 is the highest priority on Redis. */
export const PRIORITY_STEPS = [0, 3, 6, 9] as const;
export type PriorityBucket = (typeof PRIORITY_STEPS)[number];

/**
 * kombu's bucket for a message priority: clamp to 0..9, then
 * `steps[bisect(steps, p) - 1]` (priority 5 -> 3).
 */
export function priorityBucket(priority: unknown): PriorityBucket {
  const number = typeof priority === 'string' ? Number(priority) : priority;
  const p =
    typeof number === 'number' && Number.isFinite(number)
      ? Math.trunc(number)
      : 0;
  if (p >= 9) return 9;
  if (p >= 6) return 6;
  if (p >= 3) return 3;
  return 0;
}

export class RedisKeys {
  /**
   * What key-layout.lua's `key_layout(first)` reads from 5 ARGV: the list prefix,
   * kombu's separator, and the binding, wake and dead-letter prefixes, each taken
   * from the builders below so that Lua and TypeScript cannot disagree.
   */
  readonly luaLayout: readonly string[];

  constructor(readonly prefix = '') {
    this.luaLayout = [
      this.list(''),
      KOMBU_SEP,
      this.binding(''),
      this.wake(''),
      this.dead(''),
    ];
  }

  /** The list for one priority bucket: `<queue>` or `<queue>\x06\x16<bucket>`. */
  list(queue: string, bucket: PriorityBucket = 0): string {
    return bucket === 0
      ? `${this.prefix}${queue}`
      : `${this.prefix}${queue}${KOMBU_SEP}${bucket}`;
  }

  /** The queue's four lists, highest priority first. */
  lists(queue: string): string[] {
    return PRIORITY_STEPS.map((bucket) => this.list(queue, bucket));
  }

  /** kombu's binding set of the exchange named like the queue. */
  binding(queue: string): string {
    return `${this.prefix}_kombu.binding.${queue}`;
  }

  /** `routing_key + sep + pattern + sep + queue`, as Celery declares its queues. */
  bindingMember(queue: string): string {
    return `${queue}${KOMBU_SEP}${KOMBU_SEP}${queue}`;
  }

  /** kombu: hash delivery tag -> JSON `[envelope, exchange, routing_key]`. */
  get unacked(): string {
    return `${this.prefix}unacked`;
  }

  /** kombu: sorted set delivery tag -> delivery time (seconds). */
  get unackedIndex(): string {
    return `${this.prefix}unacked_index`;
  }

  /** kombu: the lock its visibility sweep holds. */
  get unackedMutex(): string {
    return `${this.prefix}unacked_mutex`;
  }

  /** Celeriac: sorted set of our deliveries, tag -> lease deadline (ms, server clock). */
  get leases(): string {
    return `${this.prefix}_celeriac.leases`;
  }

  /** Celeriac: the delay store, `<bucket digit><envelope>` -> due time (ms). */
  delayed(queue: string): string {
    return `${this.prefix}_celeriac.delayed.${queue}`;
  }

  /** Celeriac: a one-member sorted set that idle consumers block on (BZPOPMIN). */
  wake(queue: string): string {
    return `${this.prefix}_celeriac.wake.${queue}`;
  }

  /** Celeriac: dead letters of a queue, a list of JSON records, newest first. */
  dead(queue: string): string {
    return `${this.prefix}_celeriac.dead.${queue}`;
  }

  /** Every key this queue owns (tests and purges). */
  queueKeys(queue: string): string[] {
    return [
      ...this.lists(queue),
      this.binding(queue),
      this.delayed(queue),
      this.wake(queue),
      this.dead(queue),
    ];
  }
}
