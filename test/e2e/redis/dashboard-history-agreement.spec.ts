import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { MemoryTaskHistory } from '../../../lib/dashboard/history/memory-task-history';
import { RedisTaskHistory } from '../../../lib/dashboard/history/redis-task-history';
import { TaskHistory } from '../../../lib/dashboard/history/task-history';
import { TaskQuery } from '../../../lib/dashboard/history/task-query';
import { TaskPatch } from '../../../lib/events/task-patch';
import { TaskRecord } from '../../../lib/events/task-record';
import {
  eventPatch as event,
  statelessPatch as stateless,
} from '../../support/task-patches';
import { REDIS_URL, deleteKeys } from '../../support/redis-keys';

/*
 * One table of scenarios, run on the memory store and on the Redis one: each must give
 * the answer a Flower user expects (a task seen only by a later event is listed, a
 * filter's value with no task left is not offered), and both must give the same records.
 */

type Caps = { maxTasks: number; maxAgeSeconds: number };
type Clock = { now: number };
type Store = { name: string; open(caps: Caps, clock: Clock): TaskHistory };

const NOW = 1_800_000_000;

const opened: { history: TaskHistory; prefix?: string }[] = [];
afterEach(async () => {
  for (const { history, prefix } of opened.splice(0)) {
    await history.close();
    if (prefix) await deleteKeys(prefix);
  }
});

const stores: Store[] = [
  {
    name: 'memory',
    open(caps, clock) {
      const history = new MemoryTaskHistory(caps, () => clock.now);
      opened.push({ history });
      return history;
    },
  },
  { name: 'redis', open: (caps, clock) => openRedis(caps, clock).history },
];

/** A Redis store under a prefix of its own, closed and its keys deleted after the test. */
function openRedis(caps: Caps, clock: Clock) {
  const prefix = `test:dash-agree:${randomUUID()}:`;
  const history = new RedisTaskHistory(
    REDIS_URL,
    { ...caps, keyPrefix: prefix },
    () => clock.now,
  );
  opened.push({ history, prefix });
  return { history, prefix };
}

/** `count` tasks received at `at`, with this name and worker. */
function many(
  count: number,
  prefix: string,
  at: number,
  name: string,
  hostname: string,
): TaskPatch[] {
  return Array.from({ length: count }, (_, index) =>
    event('task-received', `${prefix}-${index}`, at, { name, hostname }),
  );
}

type Step = TaskPatch[] | { advance: number };

interface Case {
  title: string;
  caps: Caps;
  /** Batches written in turn; `advance` moves the clock (seconds). */
  steps: Step[];
  /** What a read gives afterwards (a query's ids newest first, or only its total). */
  size: number;
  queries: {
    query: Omit<TaskQuery, 'offset' | 'limit'>;
    ids?: string[];
    total: number;
  }[];
  facets: { names: string[]; workers: string[] };
  /** How many names and workers the facets are asked for (200, as the Tasks page). */
  facetLimit?: number;
  records?: Record<string, Partial<TaskRecord> | null>;
}

const WIDE: Caps = { maxTasks: 1000, maxAgeSeconds: 3600 };

const cases: Case[] = [
  {
    title:
      'a task first heard from task-started (no task-received yet) is listed',
    caps: WIDE,
    steps: [[event('task-started', 'late', NOW + 2, { hostname: 'w1' })]],
    size: 1,
    queries: [
      { query: {}, ids: ['late'], total: 1 },
      { query: { state: 'STARTED' }, ids: ['late'], total: 1 },
      { query: { worker: 'w1' }, ids: ['late'], total: 1 },
      { query: { state: 'PENDING' }, total: 0 },
    ],
    facets: { names: [], workers: ['w1'] },
    records: { late: { state: 'STARTED', name: null, worker: 'w1' } },
  },
  {
    title:
      'its task-received heard after task-started gives it its name, not its state back',
    caps: WIDE,
    steps: [
      [event('task-started', 'late', NOW + 2, { hostname: 'w1' })],
      [event('task-received', 'late', NOW + 1, { name: 'n', hostname: 'w1' })],
    ],
    size: 1,
    queries: [
      { query: { name: 'n' }, ids: ['late'], total: 1 },
      { query: { name: 'n', state: 'STARTED' }, ids: ['late'], total: 1 },
      { query: { state: 'RECEIVED' }, total: 0 },
    ],
    facets: { names: ['n'], workers: ['w1'] },
    records: { late: { state: 'STARTED', time: NOW + 1, stateAt: NOW + 2 } },
  },
  {
    title:
      'a task whose first patch has no state is PENDING, and found by state, name and worker',
    caps: WIDE,
    steps: [
      [stateless('bare', NOW + 1, { worker: 'w1', text: { name: 'n' } })],
    ],
    size: 1,
    queries: [
      { query: {}, ids: ['bare'], total: 1 },
      { query: { state: 'PENDING' }, ids: ['bare'], total: 1 },
      { query: { name: 'n' }, ids: ['bare'], total: 1 },
      { query: { worker: 'w1' }, ids: ['bare'], total: 1 },
      { query: { state: 'PENDING', name: 'n' }, ids: ['bare'], total: 1 },
      {
        query: { state: 'PENDING', name: 'n', worker: 'w1' },
        ids: ['bare'],
        total: 1,
      },
    ],
    facets: { names: ['n'], workers: ['w1'] },
    records: { bare: { state: 'PENDING', name: 'n', worker: 'w1' } },
  },
  {
    title: 'a stateless task then given a state leaves PENDING',
    caps: WIDE,
    steps: [
      [stateless('bare', NOW + 1, { text: { name: 'n' } })],
      [event('task-started', 'bare', NOW + 3)],
    ],
    size: 1,
    queries: [
      { query: { state: 'PENDING' }, total: 0 },
      { query: { state: 'STARTED', name: 'n' }, ids: ['bare'], total: 1 },
    ],
    facets: { names: ['n'], workers: ['celery@a'] },
    records: { bare: { state: 'STARTED', stateAt: NOW + 3 } },
  },
  {
    title: 'a stateless task heard again earlier keeps the same record',
    caps: WIDE,
    steps: [
      [stateless('bare', NOW + 5, { text: { name: 'n' } })],
      [stateless('bare', NOW + 1)],
    ],
    size: 1,
    queries: [{ query: { state: 'PENDING' }, ids: ['bare'], total: 1 }],
    facets: { names: ['n'], workers: [] },
    records: { bare: { state: 'PENDING', time: NOW + 1, stateAt: NOW + 5 } },
  },
  {
    title:
      "offers first the names and workers of the newest tasks, a task-sent heard last moving its task's time back",
    caps: WIDE,
    steps: [
      [event('task-received', 'x', NOW + 10, { name: 'a', hostname: 'wa' })],
      [event('task-received', 'y', NOW + 5, { name: 'b', hostname: 'wb' })],
      [event('task-sent', 'x', NOW + 1)],
    ],
    size: 2,
    queries: [{ query: {}, ids: ['y', 'x'], total: 2 }],
    facetLimit: 1,
    facets: { names: ['b'], workers: ['wb'] },
    records: { x: { time: NOW + 1, state: 'RECEIVED' } },
  },
  {
    title:
      'offers, of names and workers whose newest tasks were first seen at the same time, the greater first (as Redis orders equal scores)',
    caps: WIDE,
    steps: [
      [event('task-received', 'p', NOW + 5, { name: 'b', hostname: 'wb' })],
      [event('task-received', 'q', NOW + 5, { name: 'a', hostname: 'wa' })],
      [event('task-received', 'r', NOW + 1, { name: 'c', hostname: 'wc' })],
    ],
    size: 3,
    queries: [{ query: {}, total: 3 }],
    facetLimit: 1,
    facets: { names: ['b'], workers: ['wb'] },
  },
  {
    title:
      'ranks a worker by the tasks it still has, one retried on another worker',
    caps: WIDE,
    steps: [
      [event('task-received', 'x', NOW + 10, { name: 'n', hostname: 'wa' })],
      [event('task-received', 'y', NOW + 5, { name: 'n', hostname: 'wb' })],
      [event('task-received', 'z', NOW + 1, { name: 'n', hostname: 'wa' })],
      [event('task-started', 'x', NOW + 11, { hostname: 'wc' })],
    ],
    size: 3,
    queries: [{ query: { worker: 'wa' }, ids: ['z'], total: 1 }],
    facetLimit: 2,
    facets: { names: ['n'], workers: ['wb', 'wc'] },
  },
  {
    title: 'past maxAgeSeconds, a task heard after a newer one goes too',
    caps: { maxTasks: 1000, maxAgeSeconds: 100 },
    steps: [
      [
        event('task-received', 'new', NOW - 10, {
          name: 'kept',
          hostname: 'w1',
        }),
      ],
      [
        event('task-received', 'old', NOW - 50, {
          name: 'gone',
          hostname: 'w2',
        }),
      ],
      { advance: 60 },
    ],
    size: 1,
    queries: [
      { query: {}, ids: ['new'], total: 1 },
      { query: { name: 'gone' }, total: 0 },
      { query: { worker: 'w2' }, total: 0 },
      { query: { state: 'RECEIVED' }, ids: ['new'], total: 1 },
    ],
    facets: { names: ['kept'], workers: ['w1'] },
    records: { old: null, new: { name: 'kept' } },
  },
  {
    title:
      'past maxTasks, the task first seen earliest goes, whatever order it was heard in',
    caps: { maxTasks: 2, maxAgeSeconds: 3600 },
    steps: [
      [event('task-received', 'c', NOW - 10, { name: 'nc', hostname: 'wc' })],
      [event('task-received', 'b', NOW - 20, { name: 'nb', hostname: 'wb' })],
      [event('task-received', 'a', NOW - 30, { name: 'na', hostname: 'wa' })],
    ],
    size: 2,
    queries: [
      { query: {}, ids: ['c', 'b'], total: 2 },
      { query: { name: 'na' }, total: 0 },
      { query: { name: 'nc' }, ids: ['c'], total: 1 },
    ],
    facets: { names: ['nb', 'nc'], workers: ['wb', 'wc'] },
    records: { a: null, b: { name: 'nb' }, c: { name: 'nc' } },
  },
  {
    title:
      'past maxAgeSeconds, more tasks than two trims drop: none listed, counted or offered',
    caps: { maxTasks: 10_000, maxAgeSeconds: 100 },
    steps: [
      many(2500, 'old', NOW - 50, 'gone', 'old@w'),
      [
        event('task-received', 'new', NOW - 10, {
          name: 'kept',
          hostname: 'w1',
        }),
      ],
      { advance: 60 },
    ],
    size: 1,
    queries: [
      { query: {}, ids: ['new'], total: 1 },
      { query: { name: 'gone' }, total: 0 },
      { query: { worker: 'old@w' }, total: 0 },
    ],
    facets: { names: ['kept'], workers: ['w1'] },
    records: { 'old-0': null, 'old-2499': null },
  },
  {
    title:
      'past maxTasks by more than two trims drop, in one batch: the newest kept only',
    caps: { maxTasks: 10, maxAgeSeconds: 3600 },
    steps: [
      [
        ...many(2500, 'old', NOW - 50, 'gone', 'old@w'),
        ...many(10, 'new', NOW - 10, 'kept', 'w1'),
      ],
    ],
    size: 10,
    queries: [
      { query: {}, total: 10 },
      { query: { name: 'kept' }, total: 10 },
      { query: { name: 'gone' }, total: 0 },
      { query: { worker: 'old@w' }, total: 0 },
    ],
    facets: { names: ['kept'], workers: ['w1'] },
    records: { 'old-0': null, 'old-2499': null, 'new-9': { name: 'kept' } },
  },
];

async function play(history: TaskHistory, clock: Clock, steps: Step[]) {
  for (const step of steps) {
    if (Array.isArray(step)) await history.apply(step);
    else clock.now += step.advance;
  }
}

/**
 * Everything a reader sees of it: the facets (read first, as the Tasks page opening does:
 * each read trims a little), each query's page, the size, each record.
 */
async function observe(history: TaskHistory, scenario: Case) {
  const facets = await history.facets(scenario.facetLimit ?? 200);
  const queries = [];
  for (const { query } of scenario.queries) {
    const page = await history.query({ ...query, offset: 0, limit: 50 });
    queries.push({ query, total: page.total, tasks: page.tasks });
  }
  return {
    facets,
    queries,
    size: await history.size(),
    records: await history.getMany(Object.keys(scenario.records ?? {})),
  };
}

describe.each(stores)('TaskHistory ($name): the same scenarios', (store) => {
  it.each(cases)('$title', async (scenario) => {
    const clock = { now: NOW };
    const history = store.open(scenario.caps, clock);
    await play(history, clock, scenario.steps);
    const seen = await observe(history, scenario);
    expect(seen.size).toBe(scenario.size);
    expect(seen.facets).toEqual(scenario.facets);
    expect(
      seen.queries.map(({ query, total, tasks }, index) => ({
        query,
        total,
        ...(scenario.queries[index].ids
          ? { ids: tasks.map((task) => task.id) }
          : {}),
      })),
    ).toEqual(
      scenario.queries.map(({ query, total, ids }) => ({
        query,
        total,
        ...(ids ? { ids } : {}),
      })),
    );
    const records = scenario.records ?? {};
    Object.values(records).forEach((expected, index) => {
      if (expected === null) expect(seen.records[index]).toBeNull();
      else expect(seen.records[index]).toMatchObject(expected);
    });
  });
});

describe('TaskHistory: memory and Redis agree', () => {
  it.each(cases)('$title', async (scenario) => {
    const seen = [];
    for (const store of stores) {
      const clock = { now: NOW };
      const history = store.open(scenario.caps, clock);
      await play(history, clock, scenario.steps);
      seen.push(await observe(history, scenario));
    }
    const [memory, redis] = seen;
    expect(redis).toEqual(memory);
  });
});

describe('RedisTaskHistory: what only Redis can get wrong', () => {
  // Reads straight from Redis: any read of the history would trim first.
  const redis = new Redis(REDIS_URL);
  afterAll(() => redis.disconnect());

  it('a write trims as many tasks as its batch adds: nothing past maxTasks after one batch of 2,510, before any read', async () => {
    const { history, prefix } = openRedis(
      { maxTasks: 10, maxAgeSeconds: 3600 },
      { now: NOW },
    );
    await history.apply([
      ...many(2500, 'old', NOW - 50, 'gone', 'old@w'),
      ...many(10, 'new', NOW - 10, 'kept', 'w1'),
    ]);
    expect(await redis.zcard(`${prefix}all`)).toBe(10);
  });

  it('a task trimmed after its hash is gone (evicted under maxmemory, then past maxTasks) leaves no index or suggestion of it', async () => {
    const { history, prefix } = openRedis(
      { maxTasks: 2, maxAgeSeconds: 3600 },
      { now: NOW },
    );
    await history.apply([
      event('task-received', 'o', NOW + 1, { name: 'orphan', hostname: 'wo' }),
    ]);
    await redis.del(`${prefix}task:o`);
    await history.apply([
      event('task-received', 'n1', NOW + 2, { name: 'kept', hostname: 'w1' }),
      event('task-received', 'n2', NOW + 3, { name: 'kept', hostname: 'w1' }),
    ]);
    expect(await history.facets(200)).toEqual({
      names: ['kept'],
      workers: ['w1'],
    });
    const totals = [];
    for (const query of [
      { state: 'RECEIVED' },
      { name: 'orphan' },
      { worker: 'wo' },
    ] as const)
      totals.push(
        (await history.query({ ...query, offset: 0, limit: 50 })).total,
      );
    expect(totals).toEqual([2, 0, 0]);
  });
});
