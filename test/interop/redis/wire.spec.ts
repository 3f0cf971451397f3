import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { SendOptions, TaskClient } from '../../../lib';
import { KOMBU_SEP, RedisKeys } from '../../../lib/transports/redis';
import { readFixture } from '../../support/celery-fixtures';
import { uniqueName } from '../../support/wait';
import {
  REDIS_URL,
  RESULTS_URL,
  deletePrefix,
  deleteResults,
  interopPrefix,
  redisCeleryConfig,
} from '../support/interop-redis';
import { closeNestApps, nestApp } from '../support/nest-app';
import { InteropTasks } from '../support/nest-tasks';
import {
  CeleryWorker,
  PythonCall,
  sendFromPython,
  stopPythonProcesses,
} from '../support/python';
import {
  Envelope,
  fromRedisEnvelope,
  messageDifferences,
  secondsAfter,
} from '../support/wire';

/** One call, as Python's send_task and as TaskClient.send write it. */
interface SameCall {
  what: string;
  python: Omit<PythonCall, 'name'>;
  nest: [args: unknown[], options: SendOptions];
}

const CALLS: SameCall[] = [
  {
    what: 'send_task(name, args=[2, 3])',
    python: { args: [2, 3] },
    nest: [[2, 3], {}],
  },
  {
    what: 'strings, floats, booleans, null, lists and kwargs',
    python: {
      args: ["O'Brien", 'héllo ✓ "quoted"', 2.5, true, null, [1, 'a', []]],
      kwargs: { z: 1, nested: { k: [null, false], e: {} }, 'two words': -3 },
    },
    nest: [
      ["O'Brien", 'héllo ✓ "quoted"', 2.5, true, null, [1, 'a', []]],
      {
        kwargs: { z: 1, nested: { k: [null, false], e: {} }, 'two words': -3 },
      },
    ],
  },
  {
    what: 'time limits and ignore_result',
    python: {
      args: [1],
      options: { time_limit: 30, soft_time_limit: 10, ignore_result: true },
    },
    nest: [[1], { timeLimit: 30, softTimeLimit: 10, ignoreResult: true }],
  },
];

/**
 * Wire checks: the same call sent by Python Celery 5.2.6 and by Celeriac, each to a
 * queue nobody consumes, read raw from Redis and compared field by field.
 */
describe('interop on Redis: the wire, field by field', () => {
  const prefix = interopPrefix('wire');
  const keys = new RedisKeys(prefix);
  const config = redisCeleryConfig(prefix);
  const redis = new Redis(REDIS_URL);
  const sent = new Set<string>();
  let client: TaskClient;

  /** The envelopes waiting in a queue's lists, by list (bucket 0 is the queue's name). */
  const envelopes = async (queue: string) => {
    const out: { list: string; envelope: Envelope }[] = [];
    for (const list of keys.lists(queue)) {
      for (const raw of await redis.lrange(list, 0, -1)) {
        out.push({
          list: list.slice(prefix.length),
          envelope: JSON.parse(raw) as Envelope,
        });
      }
    }
    return out;
  };

  const capture = async (
    python: PythonCall,
    nest: [args: unknown[], options: SendOptions],
  ) => {
    const pyQueue = uniqueName('wire-py');
    const nestQueue = uniqueName('wire-nest');
    const [{ calls }] = await Promise.all([
      sendFromPython(config, {
        calls: [{ ...python, options: { ...python.options, queue: pyQueue } }],
      }),
      client
        .send(python.name, nest[0], { ...nest[1], queue: nestQueue })
        .then((result) => sent.add(result.id)),
    ]);
    sent.add(calls[0].id);
    const [[celery], [celeriac]] = await Promise.all([
      envelopes(pyQueue),
      envelopes(nestQueue),
    ]);
    const differences = (options: { sameTaskId?: boolean } = {}) => [
      // kombu's envelope keys, in kombu's order.
      ...(JSON.stringify(Object.keys(celery.envelope)) ===
      JSON.stringify(Object.keys(celeriac.envelope))
        ? []
        : [`envelope keys: ${Object.keys(celeriac.envelope).join(', ')}`]),
      ...messageDifferences(
        fromRedisEnvelope(celery.envelope),
        fromRedisEnvelope(celeriac.envelope),
        {
          ...options,
          routedTo: {
            celery: { exchange: '', routing_key: pyQueue },
            celeriac: { exchange: '', routing_key: nestQueue },
          },
        },
      ),
    ];
    return { pyQueue, nestQueue, celery, celeriac, differences };
  };

  beforeAll(async () => {
    const app = await nestApp({
      broker: REDIS_URL,
      backend: RESULTS_URL,
      brokerOptions: { keyPrefix: prefix, delayStore: false },
    });
    client = app.get(TaskClient);
  });

  afterAll(async () => {
    await stopPythonProcesses();
    await closeNestApps();
    await deletePrefix(redis, prefix);
    await deleteResults(sent);
    await redis.quit();
  });

  it.each(CALLS)('$what: the same envelope', async ({ python, nest }) => {
    const { differences } = await capture(
      { name: 'wire.task', ...python },
      nest,
    );
    expect(differences()).toEqual([]);
  });

  it('a given task id: the same ids everywhere', async () => {
    const id = randomUUID();
    const { differences } = await capture(
      { name: 'wire.task', args: [], options: { task_id: id } },
      [[], { taskId: id }],
    );
    expect(differences({ sameTaskId: true })).toEqual([]);
  });

  it('countdown, expires and priority: the same bucket, expiration and times', async () => {
    const before = Date.now();
    const { pyQueue, nestQueue, celery, celeriac, differences } = await capture(
      {
        name: 'wire.task',
        args: [2, 3],
        kwargs: { z: 1 },
        options: { countdown: 10, expires: 60, priority: 5 },
      },
      [[2, 3], { kwargs: { z: 1 }, countdown: 10, expires: 60, priority: 5 }],
    );
    expect(differences()).toEqual([]);
    // Priority 5 is kombu's bucket 3, for both.
    expect(celery.list).toBe(`${pyQueue}${KOMBU_SEP}3`);
    expect(celeriac.list).toBe(`${nestQueue}${KOMBU_SEP}3`);
    for (const { envelope } of [celery, celeriac]) {
      const { eta, expires } = envelope.headers;
      expect(secondsAfter(eta, before)).toBeGreaterThanOrEqual(10);
      expect(secondsAfter(expires, before)).toBeGreaterThanOrEqual(60);
      expect(secondsAfter(expires, before) - secondsAfter(eta, before)).toBe(
        50,
      );
      expect(envelope.properties.expiration).toBe('60000');
    }
  });

  it("the queue's kombu binding is the same", async () => {
    const { pyQueue, nestQueue } = await capture(
      { name: 'wire.task', args: [] },
      [[], {}],
    );
    expect(await redis.smembers(keys.binding(pyQueue))).toEqual([
      `${pyQueue}${KOMBU_SEP}${KOMBU_SEP}${pyQueue}`,
    ]);
    expect(await redis.smembers(keys.binding(nestQueue))).toEqual([
      `${nestQueue}${KOMBU_SEP}${KOMBU_SEP}${nestQueue}`,
    ]);
  });
});

/** Messages of newer Celery versions: their extra headers and kombu 5.3's tagged JSON. */
describe('interop on Redis: newer Celery messages run on a Celeriac worker', () => {
  const prefix = interopPrefix('wire-new');
  const queue = uniqueName('nest-new');
  const config = redisCeleryConfig(prefix);
  const redis = new Redis(REDIS_URL);
  const sent = new Set<string>();
  let client: TaskClient;

  beforeAll(async () => {
    const app = await nestApp(
      {
        broker: REDIS_URL,
        backend: RESULTS_URL,
        brokerOptions: { keyPrefix: prefix },
        worker: { queues: [queue], concurrency: 2 },
      },
      [InteropTasks],
    );
    client = app.get(TaskClient);
  });

  afterAll(async () => {
    await stopPythonProcesses();
    await closeNestApps();
    await deletePrefix(redis, prefix);
    await deleteResults(sent);
    await redis.quit();
  });

  it('runs a Python message with 5.3+ headers (stamped_headers, stamps, replaced_task_nesting)', async () => {
    const { calls } = await sendFromPython(config, {
      calls: [
        {
          name: 'math.add',
          args: [2, 3],
          options: {
            queue,
            headers: {
              replaced_task_nesting: 0,
              stamped_headers: ['on_behalf_of'],
              stamps: { on_behalf_of: 'billing' },
            },
          },
          wait: 20,
        },
      ],
    });
    sent.add(calls[0].id);
    expect(calls[0]).toMatchObject({ state: 'SUCCESS', result: 5 });
  });

  it("runs kombu 5.3's tagged JSON types, which arrive as strings", async () => {
    const envelope = readFixture<Envelope>(
      'celery-5.3/redis-tagged-json-message.json',
    );
    const id = randomUUID();
    envelope.headers = { ...envelope.headers, id, root_id: id };
    envelope.properties = {
      ...envelope.properties,
      correlation_id: id,
      delivery_info: { exchange: '', routing_key: queue },
    };
    sent.add(id);
    await redis.lpush(`${prefix}${queue}`, JSON.stringify(envelope));
    expect(await client.result(id).get({ timeout: 20 })).toEqual([
      '2026-11-22T02:39:19.867098+00:00',
      '19.99',
      '6f1c2b7a-9d3e-4f5a-8b1c-2d3e4f5a6b7c',
      'hello',
      {
        day: '2026-11-22',
        at: '02:39:19.867098',
        naive: '2026-11-22T02:39:19.867098',
        blob: '/wA=',
      },
    ]);
    // ...and Python reads that result back.
    const { results } = await sendFromPython(config, {
      results: [{ id, wait: 10 }],
    });
    expect(results?.[0]).toMatchObject({ state: 'SUCCESS' });
  });
});

/** Results: what a Celery worker and a Celeriac worker store for the same outcome. */
describe('interop on Redis: results, field by field', () => {
  const prefix = interopPrefix('wire-results');
  const pyQueue = uniqueName('results-py');
  const nestQueue = uniqueName('results-nest');
  const config = redisCeleryConfig(prefix);
  const redis = new Redis(REDIS_URL);
  const results = new Redis(RESULTS_URL);
  const sent = new Set<string>();
  let client: TaskClient;

  /** Runs the task on its worker and returns the stored meta as Redis holds it (JSON text). */
  const storedMeta = async (
    name: string,
    args: unknown[],
    queue: string,
  ): Promise<Record<string, unknown>> => {
    const result = await client.send(name, args, { queue });
    sent.add(result.id);
    await result.get({ timeout: 20, propagate: false });
    const text = await results.get(`celery-task-meta-${result.id}`);
    return JSON.parse(text!) as Record<string, unknown>;
  };

  beforeAll(async () => {
    const [, app] = await Promise.all([
      CeleryWorker.start({
        name: uniqueName('results'),
        queues: [pyQueue],
        config,
      }),
      nestApp(
        {
          broker: REDIS_URL,
          backend: RESULTS_URL,
          brokerOptions: { keyPrefix: prefix },
          worker: { queues: [nestQueue], concurrency: 2 },
        },
        [InteropTasks],
      ),
    ]);
    client = app.get(TaskClient);
  });

  afterAll(async () => {
    await stopPythonProcesses();
    await closeNestApps();
    await deletePrefix(redis, prefix);
    await deleteResults(sent);
    await Promise.all([redis.quit(), results.quit()]);
  });

  /** The same keys in the same order, the same values but the sender's own. */
  const expectSameMeta = (
    celery: Record<string, unknown>,
    celeriac: Record<string, unknown>,
  ) => {
    expect(Object.keys(celeriac)).toEqual(Object.keys(celery));
    const {
      task_id: _a,
      date_done: celeryDone,
      traceback: _b,
      ...rest
    } = celery;
    const {
      task_id: _c,
      date_done: ourDone,
      traceback: _d,
      ...ours
    } = celeriac;
    expect(ours).toEqual(rest);
    // Celery 5.2 writes date_done naive (UTC); Celeriac with +00:00, as Celery 5.5 does.
    expect(celeryDone).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(ourDone).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
  };

  it('SUCCESS', async () => {
    const [celery, celeriac] = await Promise.all([
      storedMeta('py.add', [2, 3], pyQueue),
      storedMeta('math.add', [2, 3], nestQueue),
    ]);
    expectSameMeta(celery, celeriac);
    expect(celeriac).toMatchObject({ status: 'SUCCESS', result: 5 });
    expect(celeriac.traceback).toBeNull();
  });

  it('FAILURE of a ValueError', async () => {
    const [celery, celeriac] = await Promise.all([
      storedMeta('py.fail', ['boom'], pyQueue),
      storedMeta('nest.fail', ['boom'], nestQueue),
    ]);
    expectSameMeta(celery, celeriac);
    expect(celeriac.result).toEqual({
      exc_type: 'ValueError',
      exc_message: ['boom'],
      exc_module: 'builtins',
    });
    expect(typeof celeriac.traceback).toBe('string');
  });
});
