import type { Channel, ChannelModel, Message } from 'amqplib';
import { SendOptions, TaskClient } from '../../../lib';
import { RedisKeys } from '../../../lib/transports/redis';
import { rawChannel } from '../../support/amqp-broker';
import { waitUntil } from '../../support/wait';
import { InteropBroker } from './brokers';
import { nestApp } from './nest-app';
import { PythonCall, sendFromPython } from './python';
import {
  Envelope,
  WireMessage,
  fromAmqpMessage,
  fromRedisEnvelope,
  messageDifferences,
} from './wire';

/** A message taken raw from its queue. */
export interface Captured {
  message: WireMessage;
  /** Redis: the list it waited in (kombu's priority bucket), without the prefix. */
  list?: string;
  /** Redis: kombu's envelope keys, in order. */
  envelopeKeys?: string[];
}

/** Reads what waits in queues nobody consumes, on the broker of `broker`. */
export interface WireTap {
  /** The first message of `queue`, waiting for it to arrive. */
  take(queue: string): Promise<Captured>;
  /** Where a message sent to `queue` says it was routed, by its broker's names. */
  routedTo(queue: string): unknown;
  close(): Promise<void>;
}

export async function wireTap(broker: InteropBroker): Promise<WireTap> {
  return broker.setup.broker === 'redis'
    ? redisTap(broker)
    : amqpTap(await rawChannel());
}

function redisTap({ redis, prefix }: InteropBroker): WireTap {
  const keys = new RedisKeys(prefix);
  const first = async (queue: string) => {
    for (const list of keys.lists(queue)) {
      const [raw] = await redis.lrange(list, 0, 0);
      if (raw) return { list, envelope: JSON.parse(raw) as Envelope };
    }
    return undefined;
  };
  return {
    async take(queue) {
      let found: Awaited<ReturnType<typeof first>>;
      await waitUntil(
        async () => (found = await first(queue)) !== undefined,
        10_000,
        `a message on ${queue}`,
      );
      const { list, envelope } = found!;
      return {
        message: fromRedisEnvelope(envelope),
        list: list.slice(prefix.length),
        envelopeKeys: Object.keys(envelope),
      };
    },
    routedTo: (queue) => ({ exchange: '', routing_key: queue }),
    close: async () => undefined,
  };
}

function amqpTap({
  model,
  channel,
}: {
  model: ChannelModel;
  channel: Channel;
}): WireTap {
  return {
    async take(queue) {
      let message: Message | false = false;
      await waitUntil(
        async () =>
          (message = await channel.get(queue, { noAck: true })) !== false,
        10_000,
        `a message on ${queue}`,
      );
      return { message: fromAmqpMessage(message as unknown as Message) };
    },
    routedTo: (queue) => ({ exchange: '', routingKey: queue }),
    close: () => model.close(),
  };
}

/**
 * For a describe block: a Nest producer and a tap on `broker`, set up in beforeAll;
 * afterAll closes them and cleans the broker up.
 */
export function wireCapture(broker: InteropBroker) {
  let client: TaskClient;
  let tap: WireTap;
  beforeAll(async () => {
    const app = await nestApp(broker.nestOptions());
    client = app.get(TaskClient);
    tap = await wireTap(broker);
  });
  afterAll(async () => {
    await tap?.close();
    await broker.cleanup();
  });
  return {
    sameCall: (
      python: PythonCall,
      nest: [args: unknown[], options: SendOptions],
    ) => captureSameCall(broker, tap, client, python, nest),
  };
}

/** Both messages of one call, and what differs between them (captureSameCall). */
export type SameCallCapture = Awaited<ReturnType<typeof captureSameCall>>;

/**
 * Sends one call from Python and the same from Nest, each to a queue of its own that
 * nobody consumes, and takes both messages. `differences()` lists what differs, field
 * by field (see messageDifferences), kombu's envelope keys too on Redis.
 */
async function captureSameCall(
  broker: InteropBroker,
  tap: WireTap,
  client: TaskClient,
  python: PythonCall,
  nest: [args: unknown[], options: SendOptions],
) {
  const pyQueue = broker.queue('wire-py');
  const nestQueue = broker.queue('wire-nest');
  const [{ calls }] = await Promise.all([
    sendFromPython(broker.celeryConfig(), {
      calls: [{ ...python, options: { ...python.options, queue: pyQueue } }],
    }),
    client
      .send(python.name, nest[0], { ...nest[1], queue: nestQueue })
      .then((result) => broker.sent.add(result.id)),
  ]);
  broker.sent.add(calls[0].id);
  const celery = await tap.take(pyQueue);
  const celeriac = await tap.take(nestQueue);
  const differences = (options: { sameTaskId?: boolean } = {}) => [
    ...(JSON.stringify(celery.envelopeKeys) ===
    JSON.stringify(celeriac.envelopeKeys)
      ? []
      : [`envelope keys: ${celeriac.envelopeKeys?.join(', ')}`]),
    ...messageDifferences(celery.message, celeriac.message, {
      ...options,
      routedTo: {
        celery: tap.routedTo(pyQueue),
        celeriac: tap.routedTo(nestQueue),
      },
    }),
  ];
  return { pyQueue, nestQueue, celery, celeriac, differences };
}
