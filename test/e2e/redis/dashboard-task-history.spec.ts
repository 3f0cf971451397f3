import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { MemoryTaskHistory } from '../../../lib/dashboard/history/memory-task-history';
import { RedisTaskHistory } from '../../../lib/dashboard/history/redis-task-history';
import { TaskHistory } from '../../../lib/dashboard/history/task-history';
import { TaskPatch } from '../../../lib/events/task-patch';
import { readLua } from '../../../lib/drivers/redis/lua-source';
import { dashboardChildrenScript } from '../../../lib/drivers/redis/scripts';
import {
  TASK_EVENT_STATES,
  TaskEventState,
} from '../../../lib/events/task-record';
import { HoldingProxy } from '../../support/holding-proxy';
import {
  eventPatch as event,
  statelessPatch,
} from '../../support/task-patches';
import { REDIS_URL, deleteKeys, keysUnder } from '../../support/redis-keys';
import { sleep } from '../../support/wait';

type Store = {
  name: string;
  open(caps?: Caps, clock?: () => number): TaskHistory;
};
type Caps = { maxTasks: number; maxAgeSeconds: number };
const CAPS: Caps = { maxTasks: 1000, maxAgeSeconds: 3600 };

const opened: { history: TaskHistory; prefix?: string }[] = [];
const stores: Store[] = [
  {
    name: 'memory',
    open: (caps = CAPS, clock = () => NOW) =>
      track(new MemoryTaskHistory(caps, clock)),
  },
  {
    name: 'redis',
    open: (caps = CAPS, clock = () => NOW) =>
      openRedisHistory(caps, { clock }).history,
  },
];

/** A Redis history under a prefix of its own, closed and its keys deleted after the test. */
function openRedisHistory(
  caps: Caps,
  where: { clock?: () => number; url?: string; prefix?: string } = {},
): { history: TaskHistory; prefix: string } {
  const prefix = where.prefix ?? `test:dash-history:${randomUUID()}:`;
  const history = new RedisTaskHistory(
    where.url ?? REDIS_URL,
    { ...caps, keyPrefix: prefix },
    where.clock,
  );
  return { history: track(history, prefix), prefix };
}
function track(history: TaskHistory, prefix?: string): TaskHistory {
  opened.push({ history, prefix });
  return history;
}

afterEach(async () => {
  for (const { history, prefix } of opened.splice(0)) {
    await history.close();
    if (prefix) await deleteKeys(prefix);
  }
});

const NOW = 1_800_000_000;

/** A patch the type allows that gives no state, for a task named `n`. */
function stateless(id: string, at: number): TaskPatch {
  return statelessPatch(id, at, { text: { name: 'n' } });
}

describe.each(stores)('TaskHistory ($name)', (store) => {
  it('merges the events of a task, whatever their order', async () => {
    const history = store.open();
    const id = randomUUID();
    await history.apply([
      event('task-succeeded', id, NOW + 3, {
        result: "'<b>ok</b>'",
        runtime: 1.25,
      }),
      event('task-started', id, NOW + 2),
    ]);
    await history.apply([
      event('task-received', id, NOW + 1, {
        name: 'videos.encode',
        args: '(1, 2)',
        kwargs: "{'x': 1}",
        retries: 0,
        parent_id: 'parent-1',
      }),
      event('task-sent', id, NOW, { queue: 'videos', hostname: 'gen1@web' }),
    ]);
    const record = await history.get(id);
    expect(record).toMatchObject({
      id,
      name: 'videos.encode',
      state: 'SUCCESS',
      stateAt: NOW + 3,
      time: NOW,
      worker: 'celery@a',
      args: '(1, 2)',
      kwargs: "{'x': 1}",
      result: "'<b>ok</b>'",
      runtime: 1.25,
      retries: 0,
      parentId: 'parent-1',
      queue: 'videos',
      sent: NOW,
      received: NOW + 1,
      started: NOW + 2,
      succeeded: NOW + 3,
    });
    expect(await history.children('parent-1', 10)).toEqual([id]);
    expect(await history.get('nope')).toBeNull();
  });

  it('reads several records at once, in the order asked, null for one it does not keep', async () => {
    const history = store.open();
    const [first, second] = [1, 2].map(() => randomUUID());
    await history.apply([
      event('task-received', first, NOW + 1, { name: 'one' }),
      event('task-succeeded', second, NOW + 2, { name: 'two' }),
    ]);
    const records = await history.getMany([second, 'nope', first, second]);
    expect(records.map((record) => record && record.name)).toEqual([
      'two',
      null,
      'one',
      'two',
    ]);
    expect(records[0]).toEqual(await history.get(second));
    expect(await history.getMany([])).toEqual([]);
  });

  it('is idempotent: the same events twice (two app instances) give the same record', async () => {
    const history = store.open();
    const id = randomUUID();
    const events = [
      event('task-received', id, NOW + 1, { name: 't' }),
      event('task-failed', id, NOW + 2, {
        exception: "ValueError('x')",
        traceback: 'Traceback...',
      }),
    ];
    await history.apply(events);
    const once = await history.get(id);
    await history.apply(events);
    await history.apply([events[0]]);
    expect(await history.get(id)).toEqual(once);
    expect(once?.state).toBe('FAILURE');
    expect(
      await history.query({ state: 'FAILURE', offset: 0, limit: 10 }),
    ).toMatchObject({
      total: 1,
    });
    expect(
      await history.query({ state: 'RECEIVED', offset: 0, limit: 10 }),
    ).toMatchObject({
      total: 0,
    });
  });

  it('moves a task between state indexes and keeps revokes that terminated', async () => {
    const history = store.open();
    const id = randomUUID();
    await history.apply([event('task-started', id, NOW + 1, { name: 'slow' })]);
    await history.apply([
      event('task-revoked', id, NOW + 2, { terminated: true, hostname: 'x@y' }),
    ]);
    const record = await history.get(id);
    expect(record).toMatchObject({
      state: 'REVOKED',
      terminated: true,
      worker: 'celery@a',
    });
    const started = await history.query({
      state: 'STARTED',
      offset: 0,
      limit: 5,
    });
    const revoked = await history.query({
      state: 'REVOKED',
      offset: 0,
      limit: 5,
    });
    expect([started.total, revoked.total]).toEqual([0, 1]);
  });

  it('drops the first-seen tasks past maxTasks, and those past maxAgeSeconds', async () => {
    const history = store.open({ maxTasks: 3, maxAgeSeconds: 100 });
    const ids = [0, 1, 2, 3, 4].map(() => randomUUID());
    await history.apply(
      ids.map((id, index) =>
        event('task-received', id, NOW - 50 + index, { name: 'n' }),
      ),
    );
    expect(await history.size()).toBe(3);
    expect(await history.get(ids[0])).toBeNull();
    expect(await history.get(ids[4])).not.toBeNull();
    await history.apply([event('task-received', randomUUID(), NOW - 500)]);
    const page = await history.query({ offset: 0, limit: 10 });
    expect(page.tasks.map((task) => task.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect(
      (await history.query({ name: 'n', offset: 0, limit: 10 })).total,
    ).toBe(3);
  });

  it('lists, counts and suggests no task past maxAgeSeconds, with no event since', async () => {
    let now = NOW;
    const history = store.open(
      { maxTasks: 100, maxAgeSeconds: 100 },
      () => now,
    );
    const [old, child, kept] = [1, 2, 3].map(() => randomUUID());
    await history.apply([
      event('task-received', old, NOW - 50, { name: 'old', hostname: 'old@w' }),
      event('task-received', child, NOW - 40, { parent_id: old }),
      event('task-received', kept, NOW - 10, { name: 'n' }),
    ]);
    now += 70;
    const page = await history.query({ offset: 0, limit: 10 });
    expect([page.total, page.tasks.map((task) => task.id)]).toEqual([
      1,
      [kept],
    ]);
    expect(
      (await history.query({ name: 'old', offset: 0, limit: 10 })).total,
    ).toBe(0);
    expect(await history.size()).toBe(1);
    expect(await history.children(old, 10)).toEqual([]);
    expect(await history.facets(10)).toEqual({
      names: ['n'],
      workers: ['celery@a'],
    });
  });

  it("forgets a trimmed child in its parent's children", async () => {
    const history = store.open({ maxTasks: 2, maxAgeSeconds: 100 });
    const [parent, first, second] = [1, 2, 3].map(() => randomUUID());
    await history.apply([
      event('task-received', first, NOW - 30, { parent_id: parent }),
      event('task-received', parent, NOW - 20),
      event('task-received', second, NOW - 10, { parent_id: parent }),
    ]);
    expect(await history.children(parent, 10)).toEqual([second]);
    // The parent goes too, then its last child is heard again and trimmed once more.
    await history.apply([
      event('task-received', randomUUID(), NOW - 5),
      event('task-received', randomUUID(), NOW - 4),
    ]);
    expect(await history.children(parent, 10)).toEqual([]);
    await history.apply([
      event('task-succeeded', second, NOW - 3, { parent_id: parent }),
    ]);
    expect(await history.children(parent, 10)).toEqual([second]);
    await history.apply([
      event('task-received', randomUUID(), NOW - 2),
      event('task-received', randomUUID(), NOW - 1),
    ]);
    expect(await history.children(parent, 10)).toEqual([]);
  });

  it('suggests only the names and workers of the tasks it keeps', async () => {
    const history = store.open({ maxTasks: 2, maxAgeSeconds: 100 });
    const [old, moved, kept] = [1, 2, 3].map(() => randomUUID());
    await history.apply([
      event('task-received', old, NOW - 30, {
        name: 'old.name',
        hostname: 'old@w',
      }),
      event('task-received', moved, NOW - 20, {
        name: 'n',
        hostname: 'first@w',
      }),
      event('task-received', kept, NOW - 10, { name: 'n' }),
    ]);
    // Retried on another worker: the first one has no task left.
    await history.apply([
      event('task-started', moved, NOW - 5, { hostname: 'second@w' }),
    ]);
    expect(await history.facets(10)).toEqual({
      names: ['n'],
      workers: ['celery@a', 'second@w'],
    });
  });

  it('suggests the names and workers seen last, an older event arriving after a newer one', async () => {
    const history = store.open();
    // Events from several workers are not ordered: "a" on a@w is seen last (NOW + 10),
    // though its older task's event (NOW + 1) comes after it.
    await history.apply([
      event('task-received', randomUUID(), NOW + 5, {
        name: 'b',
        hostname: 'b@w',
      }),
    ]);
    await history.apply([
      event('task-received', randomUUID(), NOW + 10, {
        name: 'a',
        hostname: 'a@w',
      }),
    ]);
    await history.apply([
      event('task-received', randomUUID(), NOW + 1, {
        name: 'a',
        hostname: 'a@w',
      }),
    ]);
    expect(await history.facets(1)).toEqual({ names: ['a'], workers: ['a@w'] });
    expect(await history.facets(10)).toEqual({
      names: ['a', 'b'],
      workers: ['a@w', 'b@w'],
    });
  });

  it('tells when the tasks first seen since a time succeeded, failed or retried', async () => {
    const history = store.open();
    const [old, done, failed, retried, running] = [1, 2, 3, 4, 5].map(() =>
      randomUUID(),
    );
    await history.apply([
      event('task-received', old, NOW - 1000),
      event('task-succeeded', old, NOW - 990),
      event('task-received', done, NOW - 100),
      event('task-succeeded', done, NOW - 99),
      event('task-received', failed, NOW - 80),
      event('task-failed', failed, NOW - 79),
      event('task-received', retried, NOW - 60),
      event('task-retried', retried, NOW - 59),
      event('task-succeeded', retried, NOW - 50),
      event('task-started', running, NOW - 10),
    ]);
    const times = await history.outcomes(NOW - 900);
    expect({
      succeeded: [...times.succeeded].sort(),
      failed: times.failed,
      retried: times.retried,
    }).toEqual({
      succeeded: [NOW - 99, NOW - 50],
      failed: [NOW - 79],
      retried: [NOW - 59],
    });
  });

  it('filters and pages a large history exactly as a scan of it would', async () => {
    const history = store.open({ maxTasks: 100_000, maxAgeSeconds: 86_400 });
    const names = ['a.add', 'b.mul', 'c.send', 'd.crop', 'e.zip'];
    const workers = ['celery@py', 'celeriac@nest', 'celeriac@other'];
    const states: [string, TaskEventState][] = [
      ['task-succeeded', 'SUCCESS'],
      ['task-failed', 'FAILURE'],
      ['task-started', 'STARTED'],
      ['task-retried', 'RETRY'],
    ];
    const expected: {
      id: string;
      name: string;
      worker: string;
      state: TaskEventState;
      time: number;
    }[] = [];
    let batch: TaskPatch[] = [];
    for (let i = 0; i < 100_000; i++) {
      const id = `t-${String(i).padStart(6, '0')}`;
      // Times go back and forth a little, and some tasks share a second.
      const time = NOW - 80_000 + Math.floor(i * 0.8) + (i % 7 === 0 ? 0.5 : 0);
      const name = names[(i * 7) % names.length];
      const worker = workers[(i * 13) % workers.length];
      const [type, state] = states[(i * 31) % states.length];
      const received = event('task-received', id, time, {
        name,
        hostname: worker,
      });
      const outcome = event(type, id, time + 1, { hostname: worker });
      // Some outcomes are heard before their task-received: the task's time moves back.
      if (i % 11 === 0) batch.push(outcome, received);
      else batch.push(received, outcome);
      expected.push({ id, name, worker, state, time });
      if (batch.length >= 2000) {
        await history.apply(batch);
        batch = [];
      }
    }
    await history.apply(batch);
    expect(await history.size()).toBe(100_000);
    const newestFirst = [...expected].sort(
      (a, b) => b.time - a.time || (a.id < b.id ? 1 : -1),
    );
    const cases = [
      { offset: 0, limit: 50 },
      { offset: 99_980, limit: 50 },
      { name: 'c.send', offset: 100, limit: 25 },
      { state: 'FAILURE' as const, offset: 0, limit: 50 },
      { worker: 'celery@py', state: 'RETRY' as const, offset: 3000, limit: 40 },
      {
        name: 'a.add',
        worker: 'celeriac@nest',
        state: 'SUCCESS' as const,
        offset: 10,
        limit: 20,
      },
      { from: NOW - 40_000, to: NOW - 39_000, offset: 0, limit: 100 },
      {
        name: 'e.zip',
        from: NOW - 20_000,
        to: NOW - 10_000.5,
        offset: 200,
        limit: 30,
      },
    ];
    for (const query of cases) {
      const matching = newestFirst.filter(
        (task) =>
          (query.name === undefined || task.name === query.name) &&
          (query.state === undefined || task.state === query.state) &&
          (query.worker === undefined || task.worker === query.worker) &&
          (query.from === undefined || task.time >= query.from) &&
          (query.to === undefined || task.time <= query.to),
      );
      const page = await history.query(query);
      expect({ query, total: page.total }).toEqual({
        query,
        total: matching.length,
      });
      expect(
        page.tasks.map((task) => [task.id, task.state, task.name, task.worker]),
      ).toEqual(
        matching
          .slice(query.offset, query.offset + query.limit)
          .map((task) => [task.id, task.state, task.name, task.worker]),
      );
    }
    const facets = await history.facets(10);
    expect(facets).toEqual({ names, workers: [...workers].sort() });
    // More tasks than the chart reads back (Redis caps it): the newest are kept.
    const times = await history.outcomes(NOW - 80_000);
    const newestOutcome = newestFirst.find((task) => task.state !== 'STARTED');
    const latest = [times.succeeded, times.failed, times.retried]
      .flat()
      .reduce((max, at) => Math.max(max, at), 0);
    expect(latest).toBe((newestOutcome?.time ?? 0) + 1);
  }, 120_000);
});

describe('TaskHistory: memory and Redis', () => {
  it('give back the same record for the same events', async () => {
    const [memory, redis] = stores.map((store) => store.open());
    const [kept, terminated, notTerminated] = [1, 2, 3].map(() => randomUUID());
    const events = [
      event('task-sent', kept, NOW, { name: 'a', queue: 'q', eta: 'soon' }),
      event('task-received', kept, NOW + 1, {
        args: '(1,)',
        kwargs: '{}',
        retries: 2,
        root_id: 'root',
        parent_id: 'parent',
        expires: 'later',
      }),
      event('task-failed', kept, NOW + 2, {
        exception: 'E()',
        traceback: 'T',
        runtime: 0.5,
      }),
      event('task-started', terminated, NOW + 3),
      event('task-revoked', terminated, NOW + 4, { terminated: true }),
      event('task-received', notTerminated, NOW + 5),
      event('task-revoked', notTerminated, NOW + 6, { terminated: false }),
    ];
    for (const history of [memory, redis]) await history.apply(events);
    for (const id of [kept, terminated, notTerminated])
      expect(await redis.get(id)).toEqual(await memory.get(id));
    expect((await redis.get(notTerminated))?.terminated).toBe(false);
  });

  it('keep a task no event gave a state yet as PENDING, and drop it past maxAgeSeconds', async () => {
    let now = NOW;
    const caps = { maxTasks: 1000, maxAgeSeconds: 100 };
    const [memory, redis] = stores.map((store) => store.open(caps, () => now));
    const id = randomUUID();
    for (const history of [memory, redis])
      await history.apply([stateless(id, NOW - 50)]);
    expect(await redis.get(id)).toEqual(await memory.get(id));
    expect((await memory.get(id))?.state).toBe('PENDING');
    now += 60;
    for (const history of [memory, redis]) {
      expect(await history.size()).toBe(0);
      expect(await history.get(id)).toBeNull();
    }
  });
});

describe('RedisTaskHistory, past maxAgeSeconds', () => {
  it('knows every state there is, to trim their indexes by age', () => {
    const lua = readLua('dashboard-history-1');
    const list = /local STATES = \{([^}]*)\}/.exec(lua)?.[1] ?? '';
    const states = [...list.matchAll(/'([A-Z]+)'/g)].map((match) => match[1]);
    expect(states).toEqual([...TASK_EVENT_STATES]);
  });

  it('forgets the tasks whose hashes expired before any trim (the app down, or no event since)', async () => {
    const { history, prefix } = openRedisHistory({
      maxTasks: 1000,
      maxAgeSeconds: 3,
    });
    const [parent, gone, kept] = [1, 2, 3].map(() => randomUUID());
    await history.apply([
      event('task-received', gone, Date.now() / 1000, {
        name: 'old.name',
        hostname: 'old@w',
        parent_id: parent,
      }),
    ]);
    await sleep(1500);
    // A sibling keeps the parent's children set alive past the first one's hash.
    await history.apply([
      event('task-received', kept, Date.now() / 1000, {
        name: 'n',
        parent_id: parent,
      }),
    ]);
    // The first one's hash has expired; the sibling has 1.4 s left before maxAgeSeconds.
    await sleep(1600);
    expect(await history.get(gone)).toBeNull();
    expect(await history.size()).toBe(1);
    const page = await history.query({ offset: 0, limit: 10 });
    expect([page.total, page.tasks.map((task) => task.id)]).toEqual([
      1,
      [kept],
    ]);
    const totals = await Promise.all(
      [
        { name: 'old.name' },
        { worker: 'old@w' },
        { state: 'RECEIVED' as const },
      ].map((filter) => history.query({ ...filter, offset: 0, limit: 10 })),
    );
    expect(totals.map((found) => found.total)).toEqual([0, 0, 1]);
    expect(await history.children(parent, 10)).toEqual([kept]);
    expect(await history.facets(10)).toEqual({
      names: ['n'],
      workers: ['celery@a'],
    });
    // Nothing of it is left in any index.
    const redis = new Redis(REDIS_URL);
    try {
      expect(
        await Promise.all([
          redis.zrange(`${prefix}all`, 0, -1),
          redis.zrange(`${prefix}state:RECEIVED`, 0, -1),
          redis.smembers(`${prefix}children:${parent}`),
        ]),
      ).toEqual([[kept], [kept], [kept]]);
    } finally {
      redis.disconnect();
    }
    const keys = await keysUnder(prefix);
    expect(keys.map((key) => key.slice(prefix.length)).sort()).toEqual(
      [
        `task:${kept}`,
        'all',
        'state:RECEIVED',
        'name:n',
        'worker:celery@a',
        'names',
        'workers',
        `children:${parent}`,
      ].sort(),
    );
  });

  it('counts no task past maxAgeSeconds, more of them than a trim drops at once', async () => {
    let now = NOW;
    const { history } = openRedisHistory(
      { maxTasks: 10_000, maxAgeSeconds: 100 },
      { clock: () => now },
    );
    await history.apply(
      Array.from({ length: 1500 }, (_, index) =>
        event('task-received', `old-${index}`, NOW - 50, { name: 'n' }),
      ),
    );
    now += 60;
    const filters = [{}, { name: 'n' }, { state: 'RECEIVED' as const }];
    for (const filter of filters)
      expect(await history.query({ ...filter, offset: 0, limit: 10 })).toEqual({
        total: 0,
        tasks: [],
      });
    expect(await history.size()).toBe(0);
  });

  describe('takes for an orphan only a task whose hash is gone', () => {
    // An orphan sets off the sweep of every index by age: this entry past the age cap,
    // in no other key, is left only when the trim ran no sweep.
    const ghost = 'ghost';
    async function trimPastAge(
      setUp: (
        history: TaskHistory,
        redis: Redis,
        prefix: string,
      ) => Promise<void>,
    ): Promise<string[]> {
      let now = NOW;
      const { history, prefix } = openRedisHistory(
        { maxTasks: 1000, maxAgeSeconds: 100 },
        { clock: () => now },
      );
      const redis = new Redis(REDIS_URL);
      try {
        await redis.zadd(`${prefix}state:RECEIVED`, NOW - 500, ghost);
        await setUp(history, redis, prefix);
        now += 60;
        expect(await history.size()).toBe(0);
        expect(await redis.zcard(`${prefix}name:n`)).toBe(0);
        return await redis.zrange(`${prefix}state:RECEIVED`, 0, -1);
      } finally {
        redis.disconnect();
      }
    }

    it('not a live one that has no state yet', async () => {
      const left = await trimPastAge((history) =>
        history.apply([stateless(randomUUID(), NOW - 50)]),
      );
      expect(left).toEqual([ghost]);
    });

    it('one whose hash expired', async () => {
      const left = await trimPastAge(async (history, redis, prefix) => {
        const id = randomUUID();
        await history.apply([
          event('task-received', id, NOW - 50, { name: 'n' }),
        ]);
        await redis.del(`${prefix}task:${id}`);
      });
      expect(left).toEqual([]);
    });
  });

  it("keeps a task's hash as long as its index entries, its worker's clock ahead", async () => {
    const { history } = openRedisHistory({ maxTasks: 1000, maxAgeSeconds: 1 });
    const id = randomUUID();
    await history.apply([
      event('task-received', id, Date.now() / 1000 + 3, { name: 'n' }),
    ]);
    await sleep(1300);
    const page = await history.query({ offset: 0, limit: 10 });
    expect([page.total, page.tasks.map((task) => task.id)]).toEqual([1, [id]]);
  });
});

describe("RedisTaskHistory, a parent's children", () => {
  function openAt(url: string, prefix: string): TaskHistory {
    return openRedisHistory(CAPS, { url, prefix, clock: () => NOW }).history;
  }

  it("keeps a child heard again while its parent's children are checked", async () => {
    const prefix = `test:dash-history:${randomUUID()}:`;
    const proxy = await HoldingProxy.start();
    const redis = new Redis(REDIS_URL);
    try {
      const writer = openAt(REDIS_URL, prefix);
      const reader = openAt(proxy.url, prefix);
      const [parent, child] = [1, 2].map(() => randomUUID());
      const heard = () =>
        writer.apply([
          event('task-received', child, NOW, { parent_id: parent }),
        ]);
      await heard();
      // Its hash gone (expired), the child is still in its parent's set: a check drops it.
      await redis.del(`${prefix}task:${child}`);
      // A drop sent apart from the check is held until the child is heard again: were
      // they two steps, the child written in between would leave the set.
      const held = proxy.holdNext('SREM', heard);
      expect(await reader.children(parent, 10)).toEqual([]);
      // One step: the child heard again comes after it, not in between.
      if (!held()) await heard();
      expect(await redis.smembers(`${prefix}children:${parent}`)).toEqual([
        child,
      ]);
      expect(await writer.children(parent, 10)).toEqual([child]);
    } finally {
      redis.disconnect();
      await proxy.close();
    }
  });

  it('checks and drops in one script: the children kept in the order asked, the others out of the set', async () => {
    const prefix = `test:dash-history:${randomUUID()}:`;
    const redis = new Redis(REDIS_URL);
    try {
      const set = `${prefix}children:parent`;
      await redis.sadd(set, 'kept-1', 'gone', 'kept-2', 'not-asked');
      await redis.hset(`${prefix}task:kept-1`, 'time', NOW);
      await redis.hset(`${prefix}task:kept-2`, 'time', NOW);
      const kept = await dashboardChildrenScript.run(
        redis,
        [set],
        [prefix, 'kept-2', 'gone', 'kept-1'],
      );
      expect(kept).toEqual(['kept-2', 'kept-1']);
      // A child not asked is left for a later check, even without its hash.
      expect((await redis.smembers(set)).sort()).toEqual([
        'kept-1',
        'kept-2',
        'not-asked',
      ]);
    } finally {
      redis.disconnect();
      await deleteKeys(prefix);
    }
  });
});
