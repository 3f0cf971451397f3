import type Redis from 'ioredis';
import {
  addRevokedScript,
  listRevokedScript,
} from '../../drivers/redis/scripts';
import { RevocationStore, RevokedTask } from '../revocation-store';

/**
 * Revoked task ids in one sorted set (member = task id, score = when it stops being
 * kept, ms on Redis' clock). The key expires with its last entry, so nothing is left
 * behind once every revoke ran out.
 */
export class RedisRevocations implements RevocationStore {
  constructor(
    private readonly client: Redis,
    /** `<keyPrefix>celeriac-revoked`. */
    readonly key: string,
  ) {}

  async addRevoked(
    taskIds: readonly string[],
    ttlSeconds: number,
  ): Promise<void> {
    if (taskIds.length === 0) return;
    if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
      throw new RangeError(
        `addRevoked: ttlSeconds must be a positive number, got ${ttlSeconds}`,
      );
    }
    await addRevokedScript.run(
      this.client,
      [this.key],
      [Math.ceil(ttlSeconds * 1000), ...new Set(taskIds)],
    );
  }

  async listRevoked(): Promise<RevokedTask[]> {
    const flat = (await listRevokedScript.run(
      this.client,
      [this.key],
      [],
    )) as string[];
    const revoked: RevokedTask[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      revoked.push({
        taskId: flat[i],
        expiresAt: new Date(Number(flat[i + 1])),
      });
    }
    return revoked;
  }
}
