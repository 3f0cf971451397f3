import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { SendOptions, TaskClient } from '../../lib';
import { KOMBU_SEP, RedisKeys } from '../../lib/transports/redis';
import { readFixture } from '../support/celery-fixtures';
import { uniqueName } from '../support/wait';
import { BROKERS, InteropSetup, interopBroker } from './support/brokers';
import { RESULTS_URL } from './support/interop-redis';
import { nestApp } from './support/nest-app';
import { InteropTasks } from './support/nest-tasks';
import { CeleryWorker, PythonCall, sendFromPython } from './support/python';
import { Envelope, secondsAfter } from './support/wire';
import { SameCallCapture, wireCapture } from './support/wire-capture';

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
  {
    what: 'time limits, ignore_result and expires',
    python: {
      args: [1],
      options: {
        time_limit: 30,
        soft_time_limit: 10,
        ignore_result: true,
        expires: 60,
      },
    },
    nest: [
      [1],
      { timeLimit: 30, softTimeLimit: 10, ignoreResult: true, expires: 60 },
    ],
  },
];

/**
 * Where a countdown message waited, by broker. On Redis both wait in kombu's priority
 * bucket (Celeriac sends for Celery without its delay store) and are the same, field by
 * field. On RabbitMQ Celery's waits in the queue, held by the worker until its eta;
 * Celeriac's waited in RabbitMQ's delay levels and was dead-lettered into the queue on
 * time: sent without `expiration` (RabbitMQ would expire it inside a level), it carries
 * RabbitMQ's x-death headers, and RabbitMQ rewrote the header table in key order.
 */
const WHERE_IT_WAITED: Record<
  InteropSetup['broker'],
  (captured: SameCallCapture) => void
> = {
  redis: ({ pyQueue, nestQueue, celery, celeriac, differences }) => {
    expect(differences()).toEqual([]);
    // Priority 5 is kombu's bucket 3, for both.
    expect(celery.list).toBe(`${pyQueue}${KOMBU_SEP}3`);
    expect(celeriac.list).toBe(`${nestQueue}${KOMBU_SEP}3`);
    for (const { message } of [celery, celeriac])
      expect(message.properties.expiration).toBe('60000');
  },
  amqp: (captured) => {
    const celery = captured.celery.message;
    const celeriac = captured.celeriac.message;
    expect(celery.properties.expiration).toBe('60000');
    expect(celeriac.properties.expiration).toBeUndefined();
    const deathHeaders = Object.keys(celeriac.headers).filter((key) =>
      /^x-(death|first-death-|last-death-)/.test(key),
    );
    expect(deathHeaders).toContain('x-death');
    const celeryOrder = Object.keys(celery.headers);
    expect(Object.keys(celeriac.headers)).toEqual(
      [...celeryOrder, ...deathHeaders].sort(),
    );
    // The rest is the same.
    celeriac.headers = Object.fromEntries(
      celeryOrder.map((key) => [key, celeriac.headers[key]]),
    );
    delete celery.properties.expiration;
    expect(captured.differences()).toEqual([]);
  },
};

/**
 * Wire checks: the same call sent by Python Celery 5.2.6 and by Celeriac, each to a
 * queue nobody consumes, read raw from the broker and compared field by field.
 */
describe.each(BROKERS)(
  'interop on $label: the wire, field by field',
  (setup) => {
    const broker = interopBroker(setup, 'wire');
    const capture = wireCapture(broker);

    it.each(CALLS)('$what: the same message', async ({ python, nest }) => {
      const { differences } = await capture.sameCall(
        { name: 'wire.task', ...python },
        nest,
      );
      expect(differences()).toEqual([]);
    });

    it('a given task id: the same ids everywhere', async () => {
      const id = randomUUID();
      const { differences } = await capture.sameCall(
        { name: 'wire.task', args: [], options: { task_id: id } },
        [[], { taskId: id }],
      );
      expect(differences({ sameTaskId: true })).toEqual([]);
    });

    it("countdown, expires and priority: the same times; where it waited is the broker's", async () => {
      const before = Date.now();
      const captured = await capture.sameCall(
        {
          name: 'wire.task',
          args: [2, 3],
          kwargs: { z: 1 },
          options: { countdown: 1, expires: 60, priority: 5 },
        },
        [[2, 3], { kwargs: { z: 1 }, countdown: 1, expires: 60, priority: 5 }],
      );
      for (const { message } of [captured.celery, captured.celeriac]) {
        const { eta, expires } = message.headers;
        expect(secondsAfter(eta, before)).toBeGreaterThanOrEqual(1);
        expect(secondsAfter(expires, before)).toBeGreaterThanOrEqual(60);
        expect(secondsAfter(expires, before) - secondsAfter(eta, before)).toBe(
          59,
        );
      }
      WHERE_IT_WAITED[setup.broker](captured);
    });

    // RabbitMQ has no binding sets: its declarations are compared with Celery's in
    // test/e2e/amqp/declarations.spec.ts.
    if (setup.broker === 'redis')
      it("the queue's kombu binding is the same", async () => {
        const keys = new RedisKeys(broker.prefix);
        const { pyQueue, nestQueue } = await capture.sameCall(
          { name: 'wire.task', args: [] },
          [[], {}],
        );
        for (const queue of [pyQueue, nestQueue])
          expect(await broker.redis.smembers(keys.binding(queue))).toEqual([
            `${queue}${KOMBU_SEP}${KOMBU_SEP}${queue}`,
          ]);
      });
  },
);

/** Messages of newer Celery versions: their extra headers and kombu 5.3's tagged JSON. */
describe.each(BROKERS)(
  'interop on $label: newer Celery messages run on a Celeriac worker',
  (setup) => {
    const broker = interopBroker(setup, 'wire-new');
    const { sent } = broker;
    const queue = broker.queue('nest-new');
    const config = broker.celeryConfig();
    let client: TaskClient;

    beforeAll(async () => {
      const app = await nestApp(
        broker.nestOptions({ worker: { queues: [queue], concurrency: 2 } }),
        [InteropTasks],
      );
      client = app.get(TaskClient);
    });

    afterAll(() => broker.cleanup());

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
      await broker.publishRaw(queue, envelope);
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
  },
);

/** Results: what a Celery worker and a Celeriac worker store in Redis for the same outcome. */
describe.each(BROKERS)(
  'interop on $label: results, field by field',
  (setup) => {
    const broker = interopBroker(setup, 'wire-results');
    const pyQueue = broker.queue('results-py');
    const nestQueue = broker.queue('results-nest');
    const results = new Redis(RESULTS_URL);
    let client: TaskClient;

    /** Runs the task on its worker and returns the stored meta as Redis holds it (JSON text). */
    const storedMeta = async (
      name: string,
      args: unknown[],
      queue: string,
    ): Promise<Record<string, unknown>> => {
      const result = await client.send(name, args, { queue });
      broker.sent.add(result.id);
      await result.get({ timeout: 20, propagate: false });
      const text = await results.get(`celery-task-meta-${result.id}`);
      return JSON.parse(text!) as Record<string, unknown>;
    };

    beforeAll(async () => {
      const [, app] = await Promise.all([
        CeleryWorker.start({
          name: uniqueName('results'),
          queues: [pyQueue],
          config: broker.celeryConfig(),
        }),
        nestApp(
          broker.nestOptions({
            worker: { queues: [nestQueue], concurrency: 2 },
          }),
          [InteropTasks],
        ),
      ]);
      client = app.get(TaskClient);
    });

    afterAll(async () => {
      await broker.cleanup();
      await results.quit();
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
      // Celery 5.2 writes date_done naive (UTC), and so does Celeriac by default
      // (celeryVersion '5.2'): Python can sort the two together.
      expect(celeryDone).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
      expect(ourDone).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
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
  },
);
