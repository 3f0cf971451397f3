/** A revoked task id and until when it is kept. */
export interface RevokedTask {
  taskId: string;
  expiresAt: Date;
}

/**
 * Keeps revoked task ids for a while (the module's `revokeExpires`, 3 h by default as
 * Celery), so a worker that starts after a revoke still skips the task (Celery keeps
 * them only in each worker's memory). The module takes it from the result backend, or
 * else from the transport, whichever has these two methods (see `isRevocationStore`).
 *
 * - memory: in the named MemoryResultBackend store.
 * - Redis: RedisResultBackend's sorted set `<keyPrefix>celeriac-revoked` (member = task
 *   id, score = expiry in ms): adds keep the later score (`GT`), and the list is
 *   `ZREMRANGEBYSCORE -inf <now>` then `ZRANGE 0 -1 WITHSCORES` (RedisRevocations).
 * - AMQP with rpc://: nothing to keep keys in; a stream queue `celeriac.revoked`
 *   (`x-queue-type: stream`, `x-max-age` = revokeExpires) read from `first`, or a
 *   Redis backend. Without a store, revokes are honoured live only.
 */
export interface RevocationStore {
  /** Keeps these ids revoked for `ttlSeconds` (a later add of an id extends it). */
  addRevoked(taskIds: readonly string[], ttlSeconds: number): Promise<void>;
  /** Every id still kept, with its expiry. */
  listRevoked(): Promise<RevokedTask[]>;
}

export function isRevocationStore(value: unknown): value is RevocationStore {
  const candidate = value as Partial<RevocationStore> | null;
  return (
    typeof candidate?.addRevoked === 'function' &&
    typeof candidate.listRevoked === 'function'
  );
}
