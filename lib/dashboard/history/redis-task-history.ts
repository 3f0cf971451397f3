import Redis from 'ioredis';
import { closeConnection } from '../../drivers/redis/close-connection';
import {
  SideClientOptions,
  openSideClient,
} from '../../drivers/redis/side-client';
import {
  dashboardChildrenScript,
  dashboardHistoryScript,
} from '../../drivers/redis/scripts';
import { HistoryCaps, OutcomeTimes, TaskHistory } from './task-history';
import { TaskPatch } from '../../events/task-patch';
import {
  EVENT_STAMPS,
  TASK_EVENT_STATES,
  TaskEventState,
  TaskRecord,
  emptyTaskRecord,
} from '../../events/task-record';
import { TaskPage, TaskQuery } from './task-query';

/*
 * Keys, under `keyPrefix` (default `celeriac:dashboard:`):
 *   task:<id>                 hash: the record's fields (absent: null); expires maxAgeSeconds
 *                             after its last event or its first-seen time, the later
 *   all                       zset: task id -> first-seen time
 *   state:<S> name:<n> worker:<w>   zsets: the same, per state, task name and worker
 *   names, workers            zsets: task names and workers -> their newest task's
 *                             first-seen time (the top of name:<n>, worker:<w>)
 *   children:<id>             set: the ids of the tasks whose parent is <id>
 */

export interface RedisTaskHistoryOptions
  extends HistoryCaps, SideClientOptions {
  keyPrefix?: string;
}

const NUMBER_KEYS = new Set<string>([
  'stateAt',
  'time',
  'runtime',
  'retries',
  ...EVENT_STAMPS,
]);

const OUTCOMES = ['succeeded', 'failed', 'retried'] as const;
/** Most tasks read to draw the chart again (15 minutes at 100 tasks/s). */
const MAX_OUTCOME_TASKS = 90_000;

/**
 * The history in Redis: one hash per task and sorted sets by first-seen time (all
 * tasks, per state, per name, per worker), merged by one Lua script per batch of
 * events. A query reads one sorted set, or the intersection of those its filters
 * name, and then only the page's hashes.
 */
export class RedisTaskHistory implements TaskHistory {
  readonly kind = 'redis';
  private readonly redis: Redis;
  private readonly prefix: string;
  private tmp = 0;

  constructor(
    url: string,
    private readonly options: RedisTaskHistoryOptions,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {
    this.prefix = options.keyPrefix ?? 'celeriac:dashboard:';
    this.redis = openSideClient(url, options);
  }

  async apply(patches: readonly TaskPatch[]): Promise<void> {
    if (patches.length === 0) return;
    await this.runScript(patches);
  }

  async query(query: TaskQuery): Promise<TaskPage> {
    await this.trim();
    const indexes = [
      query.state !== undefined && this.key(`state:${query.state}`),
      query.name !== undefined && this.key(`name:${query.name}`),
      query.worker !== undefined && this.key(`worker:${query.worker}`),
    ].filter((key): key is string => key !== false);
    // Tasks past the age cap the trim has not reached yet (1000 a call) are not counted.
    const min = String(Math.max(query.from ?? -Infinity, this.cutoff()));
    const max = query.to === undefined ? '+inf' : String(query.to);
    const range = (key: string) =>
      [
        key,
        max,
        min,
        'BYSCORE',
        'REV',
        'LIMIT',
        query.offset,
        query.limit,
      ] as const;
    let total: number;
    let ids: string[];
    if (indexes.length <= 1) {
      const key = indexes[0] ?? this.key('all');
      const replies = await this.redis
        .multi()
        .zcount(key, min, max)
        .zrange(...range(key))
        .exec();
      [total, ids] = results<[number, string[]]>(replies);
    } else {
      const tmp = this.key(`query:${process.pid}:${this.tmp++}`);
      const replies = await this.redis
        .multi()
        .zinterstore(tmp, indexes.length, ...indexes, 'AGGREGATE', 'MIN')
        .zcount(tmp, min, max)
        .zrange(...range(tmp))
        .del(tmp)
        .exec();
      [, total, ids] = results<[number, number, string[]]>(replies);
    }
    const tasks = await this.records(ids);
    return { total, tasks: tasks.filter((task) => task !== null) };
  }

  async outcomes(since: number): Promise<OutcomeTimes> {
    const times: OutcomeTimes = { succeeded: [], failed: [], retried: [] };
    // Past the cap the newest are read: the chart's latest minutes matter most.
    const ids = await this.redis.zrevrangebyscore(
      this.key('all'),
      '+inf',
      Math.max(since, this.cutoff()),
      'LIMIT',
      0,
      MAX_OUTCOME_TASKS,
    );
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.key(`task:${id}`), ...OUTCOMES);
    const replies = ids.length > 0 ? await pipeline.exec() : [];
    for (const stamps of results<(string | null)[][]>(replies)) {
      OUTCOMES.forEach((outcome, index) => {
        if (stamps[index] !== null) times[outcome].push(Number(stamps[index]));
      });
    }
    return times;
  }

  async get(id: string): Promise<TaskRecord | null> {
    return (await this.records([id]))[0];
  }

  /** One pipeline for all of them. */
  getMany(ids: readonly string[]): Promise<(TaskRecord | null)[]> {
    return this.records(ids);
  }

  /**
   * A child whose hash expired before a trim reached it is no longer known as its
   * parent's: it is dropped here.
   */
  async children(id: string, limit: number): Promise<string[]> {
    await this.trim();
    const key = this.key(`children:${id}`);
    const [, candidates] = await this.redis.sscan(key, 0, 'COUNT', limit);
    const ids = candidates.slice(0, limit);
    if (ids.length === 0) return [];
    return (await dashboardChildrenScript.run(
      this.redis,
      [key],
      [this.prefix, ...ids],
    )) as string[];
  }

  async facets(limit: number): Promise<{ names: string[]; workers: string[] }> {
    await this.trim();
    const [names, workers] = await Promise.all([
      this.redis.zrevrange(this.key('names'), 0, limit - 1),
      this.redis.zrevrange(this.key('workers'), 0, limit - 1),
    ]);
    return { names: names.sort(), workers: workers.sort() };
  }

  async size(): Promise<number> {
    await this.trim();
    return this.redis.zcount(this.key('all'), this.cutoff(), '+inf');
  }

  close(): Promise<void> {
    return closeConnection(this.redis);
  }

  /**
   * Drops what is past the caps with no event to write: the hashes expire on their own,
   * the indexes only when trimmed. A read trims to the end before it answers, so that
   * no count or suggestion is of a task past a cap: one call when nothing is behind
   * (the usual case), one per 1000 tasks when a backlog is (the app down longer than
   * `maxAgeSeconds`, `maxTasks` lowered), Redis serving others between the calls.
   */
  private async trim(): Promise<void> {
    // One cutoff for the whole loop: tasks ageing past a moving one while a backlog is
    // trimmed would keep it going.
    const cutoff = this.cutoff();
    while ((await this.runScript([], cutoff)) !== 0);
  }

  /** Writes and trims; 1 while tasks past a cap are left (see the script), else 0. */
  private async runScript(
    patches: readonly TaskPatch[],
    cutoff = this.cutoff(),
  ): Promise<number> {
    return (await dashboardHistoryScript.run(
      this.redis,
      [this.key('all')],
      [
        this.prefix,
        this.options.maxTasks,
        cutoff,
        Math.ceil(this.options.maxAgeSeconds),
        ...patches.map((patch) => JSON.stringify(patch)),
      ],
    )) as number;
  }

  /** Tasks first seen before it are past the age cap (seconds). */
  private cutoff(): number {
    return this.now() - this.options.maxAgeSeconds;
  }

  private key(name: string): string {
    return this.prefix + name;
  }

  private async records(
    ids: readonly string[],
  ): Promise<(TaskRecord | null)[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.key(`task:${id}`));
    const hashes = results<Record<string, string>[]>(await pipeline.exec());
    return hashes.map((hash, index) => toRecord(ids[index], hash));
  }
}

function toRecord(id: string, hash: Record<string, string>): TaskRecord | null {
  if (!hash || hash.time === undefined) return null;
  const record = emptyTaskRecord(id, Number(hash.time)) as unknown as Record<
    string,
    unknown
  >;
  for (const [field, value] of Object.entries(hash)) {
    if (!(field in record)) continue;
    if (NUMBER_KEYS.has(field)) record[field] = Number(value);
    else if (field === 'terminated') record[field] = value === '1';
    else record[field] = value;
  }
  const state = record.state as TaskEventState;
  if (!TASK_EVENT_STATES.includes(state)) record.state = 'PENDING';
  return record as unknown as TaskRecord;
}

/** The replies of a MULTI or pipeline, the first error thrown. */
function results<T extends unknown[]>(
  replies: [Error | null, unknown][] | null,
): T {
  if (!replies) throw new Error('Redis discarded the transaction');
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  }) as T;
}
