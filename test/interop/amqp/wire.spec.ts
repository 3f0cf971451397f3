import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel, Message } from 'amqplib';
import { SendOptions, TaskClient } from '../../../lib';
import { rawChannel, recordingLogger } from '../../support/amqp-broker';
import { waitUntil } from '../../support/wait';
import { AMQP_URL, amqpCeleryConfig, amqpNames } from '../support/interop-amqp';
import {
  RESULTS_URL,
  deleteResults,
  interopPrefix,
} from '../support/interop-redis';
import { closeNestApps, nestApp } from '../support/nest-app';
import {
  PythonCall,
  sendFromPython,
  stopPythonProcesses,
} from '../support/python';
import {
  fromAmqpMessage,
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
 * Wire checks on RabbitMQ: the same call sent by Python Celery 5.2.6 and by Celeriac,
 * each to a queue nobody consumes, taken with basic.get and compared field by field.
 */
describe('interop on RabbitMQ: the wire, field by field', () => {
  const names = amqpNames('wire');
  const prefix = interopPrefix('amqp-wire');
  const config = amqpCeleryConfig(RESULTS_URL, prefix);
  const sent = new Set<string>();
  let client: TaskClient;
  let model: ChannelModel;
  let channel: Channel;

  /** The next message of `queue`, waiting for it to arrive. */
  const take = async (queue: string): Promise<Message> => {
    let message: Message | false = false;
    await waitUntil(
      async () =>
        (message = await channel.get(queue, { noAck: true })) !== false,
      10_000,
      `a message on ${queue}`,
    );
    return message as unknown as Message;
  };

  const capture = async (
    python: PythonCall,
    nest: [args: unknown[], options: SendOptions],
  ) => {
    const pyQueue = names.queue('wire-py');
    const nestQueue = names.queue('wire-nest');
    const [{ calls }] = await Promise.all([
      sendFromPython(config, {
        calls: [{ ...python, options: { ...python.options, queue: pyQueue } }],
      }),
      client
        .send(python.name, nest[0], { ...nest[1], queue: nestQueue })
        .then((result) => sent.add(result.id)),
    ]);
    sent.add(calls[0].id);
    const celery = fromAmqpMessage(await take(pyQueue));
    const celeriac = fromAmqpMessage(await take(nestQueue));
    const differences = (options: { sameTaskId?: boolean } = {}) =>
      messageDifferences(celery, celeriac, {
        ...options,
        routedTo: {
          celery: { exchange: '', routingKey: pyQueue },
          celeriac: { exchange: '', routingKey: nestQueue },
        },
      });
    return { celery, celeriac, differences };
  };

  beforeAll(async () => {
    const app = await nestApp({
      broker: AMQP_URL,
      backend: RESULTS_URL,
      brokerOptions: {
        delayPrefix: names.delayPrefix,
        logger: recordingLogger(),
      },
    });
    client = app.get(TaskClient);
    ({ model, channel } = await rawChannel());
  });

  afterAll(async () => {
    await model?.close();
    await stopPythonProcesses();
    await closeNestApps();
    await names.cleanup();
    await deleteResults(sent);
  });

  it.each(CALLS)('$what: the same message', async ({ python, nest }) => {
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

  it('countdown, expires and priority: the same, but for what the delay levels change', async () => {
    const before = Date.now();
    const { celery, celeriac, differences } = await capture(
      {
        name: 'wire.task',
        args: [2, 3],
        options: { countdown: 1, expires: 60, priority: 5 },
      },
      [[2, 3], { countdown: 1, expires: 60, priority: 5 }],
    );
    for (const message of [celery, celeriac]) {
      const { eta, expires } = message.headers;
      expect(secondsAfter(eta, before)).toBeGreaterThanOrEqual(1);
      expect(secondsAfter(expires, before) - secondsAfter(eta, before)).toBe(
        59,
      );
    }
    // Celery's message waits in the queue, held by the worker until its eta; Celeriac's
    // waited in RabbitMQ's delay levels and was dead-lettered into the queue on time:
    // sent without `expiration` (RabbitMQ would expire it inside a level), it carries
    // RabbitMQ's x-death headers, and RabbitMQ rewrote the header table in key order.
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
    celeriac.headers = Object.fromEntries(
      celeryOrder.map((key) => [key, celeriac.headers[key]]),
    );
    delete celery.properties.expiration;
    expect(differences()).toEqual([]);
  });
});
