import Redis from 'ioredis';
import {
  SideClientOptions,
  openSideClient,
} from '../../drivers/redis/side-client';
import {
  beatClaimScript,
  beatCompleteScript,
  beatReleaseScript,
  beatSetPausedScript,
  beatStateScript,
} from '../../drivers/redis/scripts';
import { PublishedSchedule, ScheduleState, TickLock } from '../tick-lock';
import { closeConnection } from '../../drivers/redis/close-connection';

/*
 * Keys, under `keyPrefix` (default `celeriac:beat:`), with the schedule name as a hash
 * tag so that a script's keys share a Redis Cluster slot:
 *   state:{<schedule>}          hash: handled, lastRun (ms), paused (0/1); no expiry
 *   tick:{<schedule>}:<tick>    a claim: the owner, SET NX PX <ttl>
 *   schedules                   hash: schedule name -> its PublishedSchedule as JSON
 */

export interface RedisTickLockOptions extends SideClientOptions {
  /** Prefix of every key. Default `celeriac:beat:`. */
  keyPrefix?: string;
}

/**
 * The fleet-wide tick lock on Redis (`redis://`, `rediss://`): a claim is
 * `SET tick:{schedule}:<tick> <owner> NX PX <ttl>`, taken in one script with the check
 * that the tick is after the schedule's `handled`, so a tick is enqueued once whatever
 * the number of beats, their restarts or their clocks. Connects on first use.
 */
export class RedisTickLock implements TickLock {
  readonly kind = 'redis';
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(url: string, options: RedisTickLockOptions = {}) {
    this.prefix = options.keyPrefix ?? 'celeriac:beat:';
    // While Redis is away, commands reject with the reason and beat logs it once per pass.
    this.redis = openSideClient(url, options);
  }

  async state(schedule: string, baseline: number): Promise<ScheduleState> {
    const fields = (await beatStateScript.run(
      this.redis,
      [this.stateKey(schedule)],
      [baseline],
    )) as (string | null)[];
    return toState(fields) as ScheduleState;
  }

  async peek(schedule: string): Promise<ScheduleState | undefined> {
    return toState(
      await this.redis.hmget(
        this.stateKey(schedule),
        'handled',
        'lastRun',
        'paused',
      ),
    );
  }

  async claim(
    schedule: string,
    tick: number,
    owner: string,
    ttlMs: number,
  ): Promise<boolean> {
    const claimed = await beatClaimScript.run(
      this.redis,
      [this.stateKey(schedule), this.claimKey(schedule, tick)],
      [tick, owner, Math.max(1, Math.ceil(ttlMs))],
    );
    return claimed === 1;
  }

  async release(schedule: string, tick: number, owner: string): Promise<void> {
    await beatReleaseScript.run(
      this.redis,
      [this.claimKey(schedule, tick)],
      [owner],
    );
  }

  async complete(schedule: string, tick: number, ran: boolean): Promise<void> {
    await beatCompleteScript.run(
      this.redis,
      [this.stateKey(schedule)],
      [tick, ran ? 1 : 0],
    );
  }

  async setPaused(
    schedule: string,
    paused: boolean,
    latestTick: number,
  ): Promise<void> {
    await beatSetPausedScript.run(
      this.redis,
      [this.stateKey(schedule)],
      [paused ? 1 : 0, latestTick],
    );
  }

  async publishSchedules(entries: readonly PublishedSchedule[]): Promise<void> {
    if (entries.length === 0) return;
    await this.redis.hset(
      this.catalogueKey(),
      Object.fromEntries(
        entries.map((entry) => [entry.name, JSON.stringify(entry)]),
      ),
    );
  }

  async unpublishSchedule(schedule: string): Promise<void> {
    await this.redis.hdel(this.catalogueKey(), schedule);
  }

  async publishedSchedules(): Promise<PublishedSchedule[]> {
    const entries = await this.redis.hvals(this.catalogueKey());
    return entries.flatMap((text) => {
      try {
        return [JSON.parse(text) as PublishedSchedule];
      } catch {
        return []; // not ours: skipped
      }
    });
  }

  close(): Promise<void> {
    return closeConnection(this.redis);
  }

  private catalogueKey(): string {
    return `${this.prefix}schedules`;
  }

  private stateKey(schedule: string): string {
    return `${this.prefix}state:{${schedule}}`;
  }

  private claimKey(schedule: string, tick: number): string {
    return `${this.prefix}tick:{${schedule}}:${tick}`;
  }
}

function toState([handled, lastRun, paused]: (string | null)[]):
  ScheduleState | undefined {
  if (handled === null || handled === undefined) return undefined;
  return {
    handled: Number(handled),
    lastRun: lastRun === null || lastRun === undefined ? null : Number(lastRun),
    paused: paused === '1',
  };
}
