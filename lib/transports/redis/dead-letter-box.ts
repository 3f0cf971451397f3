import type Redis from 'ioredis';
import { DeadLetter } from '../transport';
import { replayDeadScript } from '../../drivers/redis/scripts';
import { decodeEnvelope } from './envelope';
import { RedisKeys } from './keys';

/** A dead letter as stored in `_celeriac.dead.<queue>` (JSON). */
export interface DeadLetterRecord {
  queue: string;
  reason: string;
  /** ms since the epoch. */
  at: number;
  /** The envelope exactly as it was on the list. */
  envelope: string;
}

/** How many records one script call moves, so a long replay never blocks Redis. */
const PAGE = 1000;

/**
 * The Redis dead-letter box, as AMQP's `<queue>.dead`: a list per queue
 * (`_celeriac.dead.<queue>`, newest at the head) that `Delivery.deadLetter` fills in the
 * same atomic step as it settles (dead-letter-4.lua). The four DeadLetterAccess verbs
 * read it from the tail, oldest first.
 */
export class RedisDeadLetterBox {
  constructor(
    private readonly client: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** The record `Delivery.deadLetter` writes. */
  static record(queue: string, reason: string, envelope: string): string {
    const record: DeadLetterRecord = {
      queue,
      reason,
      at: Date.now(),
      envelope,
    };
    return JSON.stringify(record);
  }

  async list(queue: string, limit: number): Promise<DeadLetter[]> {
    const count = clamp(limit);
    if (count === 0) return [];
    const raw = await this.client.lrange(this.keys.dead(queue), -count, -1);
    return raw.reverse().map(readRecord);
  }

  async replay(queue: string, limit: number): Promise<number> {
    const count = clamp(limit);
    let replayed = 0;
    while (replayed < count) {
      const page = Math.min(PAGE, count - replayed);
      const moved = Number(
        await replayDeadScript.run(
          this.client,
          [this.keys.dead(queue), this.keys.wake(queue)],
          [...this.keys.luaLayout, queue, page],
        ),
      );
      replayed += moved;
      if (moved < page) break;
    }
    return replayed;
  }

  async drop(queue: string, limit: number): Promise<number> {
    const count = clamp(limit);
    if (count === 0) return 0;
    // LTRIM keeps all but the `count` oldest (on Redis 6.0 too, where RPOP takes no count).
    const key = this.keys.dead(queue);
    const [[, length]] = (await this.client
      .multi()
      .llen(key)
      .ltrim(key, 0, -count - 1)
      .exec()) as [[Error | null, number]];
    return Math.min(Number(length), count);
  }

  count(queue: string): Promise<number> {
    return this.client.llen(this.keys.dead(queue));
  }
}

function clamp(limit: number): number {
  if (!(limit > 0)) return 0;
  return Math.min(Math.floor(limit), Number.MAX_SAFE_INTEGER);
}

function readRecord(text: string): DeadLetter {
  const record = JSON.parse(text) as DeadLetterRecord;
  const decoded = decodeEnvelope(record.envelope);
  const letter: DeadLetter = {
    queue: record.queue,
    reason: record.reason,
    at: new Date(record.at),
    raw: record.envelope,
  };
  if (decoded.message) letter.message = decoded.message;
  if (decoded.decodeError) letter.decodeError = decoded.decodeError;
  return letter;
}
