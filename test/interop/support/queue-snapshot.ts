import Redis from 'ioredis';
import { RedisKeys } from '../../../lib/transports/redis';

/** Where every task of a run is at one instant (one MULTI: nothing moves meanwhile). */
export interface QueueSnapshot {
  /** Task ids waiting in the queue's lists. */
  waiting: Set<string>;
  /** kombu's `unacked` hash: delivery tag -> task id (Celery's and Celeriac's deliveries). */
  unacked: Map<string, string>;
  /** Tags with a Celeriac lease (the rest of `unacked` was taken by Celery workers). */
  leased: Set<string>;
  /** Task ids whose run was recorded (`<run>:done`). */
  done: Set<string>;
}

export async function queueSnapshot(
  redis: Redis,
  keys: RedisKeys,
  queue: string,
  doneKey: string,
): Promise<QueueSnapshot> {
  const lists = keys.lists(queue);
  const multi = redis.multi();
  for (const list of lists) multi.lrange(list, 0, -1);
  multi.hgetall(keys.unacked).zrange(keys.leases, 0, -1).smembers(doneKey);
  const replies = (await multi.exec())!.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
  const waiting = new Set<string>();
  for (const raw of replies.slice(0, lists.length).flat() as string[])
    waiting.add(envelopeId(raw));
  const [hash, leased, done] = replies.slice(lists.length) as [
    Record<string, string>,
    string[],
    string[],
  ];
  const unacked = new Map<string, string>();
  for (const [tag, value] of Object.entries(hash)) {
    const [envelope] = JSON.parse(value) as [{ headers: { id: string } }];
    unacked.set(tag, envelope.headers.id);
  }
  return { waiting, unacked, leased: new Set(leased), done: new Set(done) };
}

/** Ids that are nowhere: neither waiting, nor delivered (unacked), nor done. */
export function unaccounted(
  snapshot: QueueSnapshot,
  ids: Iterable<string>,
): string[] {
  const delivered = new Set(snapshot.unacked.values());
  return [...ids].filter(
    (id) =>
      !snapshot.waiting.has(id) && !delivered.has(id) && !snapshot.done.has(id),
  );
}

function envelopeId(raw: string): string {
  return (JSON.parse(raw) as { headers: { id: string } }).headers.id;
}
