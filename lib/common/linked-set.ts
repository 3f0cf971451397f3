/** What `LinkedSet.add` hands back: the way to remove that value again. */
export interface LinkedEntry<T> {
  readonly value: T | undefined;
}

class Link<T> implements LinkedEntry<T> {
  prev: Link<T> | undefined = undefined;
  next: Link<T> | undefined = undefined;

  constructor(
    public value: T | undefined,
    public owner: LinkedSet<T> | undefined,
  ) {}
}

/**
 * The values a long-lived owner holds while thousands a second come and go (the
 * deliveries a transport holds, the tasks a worker runs), in a doubly linked list:
 * `add` hands back an entry that `remove` takes out in O(1). Finding by something
 * else walks the list, which suits the rare lookups (a lost lease, a revoke).
 *
 * Why not a Map or a Set: V8 links a rehashed table to the one that replaces it (for
 * iterators still walking it), and once one table is in the old generation (a full GC
 * promotes whatever is young), that dead table keeps every later table, and every
 * value they held, alive through each scavenge until the next full GC. In the bench's
 * worker that was 1.8 MB promoted a scavenge after the first full GC instead of 0.3
 * (bench/README.md, 2026-12-07). A removed link lets go of its value and neighbours,
 * so even a promoted one keeps nothing alive. A plain object as dictionary avoids the
 * chain too, but interns every key: 2 us a `set`, 6 % of the worker.
 */
export class LinkedSet<T> {
  private head: Link<T> | undefined;
  private tail: Link<T> | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(value: T): LinkedEntry<T> {
    const link = new Link<T>(value, this);
    if (this.tail) {
      this.tail.next = link;
      link.prev = this.tail;
    } else this.head = link;
    this.tail = link;
    this.count++;
    return link;
  }

  /** False when it was removed already (or is another set's). */
  remove(entry: LinkedEntry<T>): boolean {
    const link = entry as Link<T>;
    if (link.owner !== this) return false;
    if (link.prev) link.prev.next = link.next;
    else this.head = link.next;
    if (link.next) link.next.prev = link.prev;
    else this.tail = link.prev;
    link.prev = link.next = link.owner = link.value = undefined;
    this.count--;
    return true;
  }

  /** The first value, in insertion order, that `matches`. */
  find(matches: (value: T) => boolean): T | undefined {
    for (let link = this.head; link; link = link.next)
      if (matches(link.value as T)) return link.value;
    return undefined;
  }

  /** The values now, in insertion order (a copy: the set may change meanwhile). */
  values(): T[] {
    const values: T[] = [];
    for (let link = this.head; link; link = link.next)
      values.push(link.value as T);
    return values;
  }

  clear(): void {
    while (this.head) this.remove(this.head);
  }
}

/** What a reader of a LinkedSet may do. */
export type ReadonlyLinkedSet<T> = Pick<
  LinkedSet<T>,
  'size' | 'find' | 'values'
>;
