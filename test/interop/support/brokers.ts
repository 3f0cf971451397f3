import Redis from 'ioredis';
import { TaskQueueModuleOptions } from '../../../lib';
import { RedisKeys } from '../../../lib/transports/redis';
import {
  AMQP_URL,
  deleteDelayLevels,
  deleteQueues,
  publishRaw,
  recordingLogger,
  useSharedBroker,
} from '../../support/amqp-broker';
import { uniqueName } from '../../support/wait';
import { messagesInDelayLevels } from './amqp-delays';
import {
  REDIS_URL,
  RESULTS_URL,
  deletePrefix,
  deleteResults,
  interopPrefix,
} from './interop-redis';
import { closeNestApps } from './nest-app';
import { NestWorkerEnv, stopNestWorkers } from './nest-worker';
import { CeleryConfig, stopPythonProcesses } from './python';
import { Envelope } from './wire';

/** A broker, and the result backend both sides use with it. */
export interface InteropSetup {
  /** How test names call it: `interop on <label>: ...`. */
  label: string;
  broker: 'redis' | 'amqp';
  backendUrl: string;
  /** Where an eta message Python sends to a Celeriac worker waits, for test names. */
  delaysIn: string;
}

export const REDIS: InteropSetup = {
  label: 'Redis',
  broker: 'redis',
  backendUrl: RESULTS_URL,
  delaysIn: "the worker, unacked (Celery's way)",
};
export const AMQP: InteropSetup = {
  label: 'RabbitMQ',
  broker: 'amqp',
  backendUrl: RESULTS_URL,
  delaysIn: "RabbitMQ's delay levels",
};

/** Each broker once, results in Redis. */
export const BROKERS: InteropSetup[] = [REDIS, AMQP];

/** Each broker with every result backend Celery offers with it. */
export const BROKERS_AND_BACKENDS: InteropSetup[] = [
  REDIS,
  { ...AMQP, label: 'RabbitMQ with the Redis backend' },
  { ...AMQP, label: 'RabbitMQ with rpc://', backendUrl: 'rpc://' },
];

export type BrokerWorkerEnv = Pick<
  NestWorkerEnv,
  'REDIS_URL' | 'RESULTS_URL' | 'KEY_PREFIX' | 'BROKER_URL' | 'DELAY_PREFIX'
>;

/** How a Nest app of a test is set up, beyond its broker and backend. */
export interface NestAppOptions extends Omit<
  TaskQueueModuleOptions,
  'broker' | 'backend'
> {
  /** RabbitMQ: queues to declare with x-max-priority (Redis has priority buckets). */
  maxPriority?: Record<string, number>;
}

/**
 * What one test file (or describe) uses on its broker: its own names, the Celery and
 * Celeriac configuration for them, and a clean-up of all it made.
 */
export interface InteropBroker {
  readonly setup: InteropSetup;
  /**
   * Prefix of every Redis key the test makes: what tasks record (both sides write
   * behind it), and on a Redis broker kombu's and Celeriac's keys.
   */
  readonly prefix: string;
  /** The Redis where tasks record; the broker too on Redis. */
  readonly redis: Redis;
  /** Ids of tasks sent: their results are deleted by `cleanup()`. */
  readonly sent: Set<string>;
  /** A queue name no other test uses; RabbitMQ's are deleted by `cleanup()`. */
  queue(name: string): string;
  celeryConfig(extra?: Partial<CeleryConfig>): CeleryConfig;
  nestOptions(options?: NestAppOptions): TaskQueueModuleOptions;
  /** The broker's part of a Celeriac worker process's environment (nest-worker.ts). */
  workerEnv(): BrokerWorkerEnv;
  /**
   * Messages of `queue` waiting for their eta: held by a worker or in the delay store
   * (Redis), or in Celeriac's delay levels (RabbitMQ).
   */
  waitingForEta(queue: string): Promise<number>;
  /**
   * Puts a message on `queue` as a Celery producer would, from its kombu Redis
   * envelope: the envelope itself on Redis, its body, headers and properties on RabbitMQ.
   */
  publishRaw(queue: string, envelope: Envelope): Promise<void>;
  /** Stops every process and app the file started, then deletes what it made. */
  cleanup(): Promise<void>;
}

/** Call at describe level: on RabbitMQ it registers the suite as a broker user. */
export function interopBroker(
  setup: InteropSetup,
  label: string,
): InteropBroker {
  return setup.broker === 'redis'
    ? redisBroker(setup, label)
    : amqpBroker(setup, label);
}

async function stopEverything(): Promise<void> {
  await stopPythonProcesses();
  await stopNestWorkers();
  await closeNestApps();
}

function redisBroker(setup: InteropSetup, label: string): InteropBroker {
  const prefix = interopPrefix(label);
  const keys = new RedisKeys(prefix);
  const redis = new Redis(REDIS_URL);
  const sent = new Set<string>();
  return {
    setup,
    prefix,
    redis,
    sent,
    // deletePrefix removes every key of the queue.
    queue: (name) => uniqueName(name),
    celeryConfig: ({ maxPriority: _ignored, ...extra } = {}) => ({
      brokerUrl: REDIS_URL,
      backendUrl: setup.backendUrl,
      storeUrl: REDIS_URL,
      keyPrefix: prefix,
      ...extra,
    }),
    nestOptions: ({ maxPriority: _ignored, ...options } = {}) => ({
      ...options,
      broker: REDIS_URL,
      backend: setup.backendUrl,
      brokerOptions: { keyPrefix: prefix, ...options.brokerOptions },
    }),
    workerEnv: () => ({
      REDIS_URL,
      RESULTS_URL: setup.backendUrl,
      KEY_PREFIX: prefix,
    }),
    async waitingForEta(queue) {
      // kombu's unacked entries are [envelope, exchange, routing key].
      const held = (await redis.hvals(keys.unacked)).filter(
        (entry) => (JSON.parse(entry) as unknown[])[2] === queue,
      );
      return held.length + (await redis.zcard(keys.delayed(queue)));
    },
    async publishRaw(queue, envelope) {
      await redis.lpush(keys.list(queue), JSON.stringify(envelope));
    },
    async cleanup() {
      await stopEverything();
      await deletePrefix(redis, prefix);
      await deleteResults(sent);
      await redis.quit();
    },
  };
}

function amqpBroker(setup: InteropSetup, label: string): InteropBroker {
  // The recovery tests restart RabbitMQ: they wait until this suite is done.
  useSharedBroker();
  // Only what tasks record is behind it: kombu's AMQP transport has no key prefix.
  const prefix = interopPrefix(`amqp-${label}`);
  const delayPrefix = uniqueName(`interop-delay-${label}`);
  const redis = new Redis(REDIS_URL);
  const sent = new Set<string>();
  const queues: string[] = [];
  return {
    setup,
    prefix,
    redis,
    sent,
    queue(name) {
      const queue = uniqueName(name);
      queues.push(queue);
      return queue;
    },
    celeryConfig: (extra = {}) => ({
      brokerUrl: AMQP_URL,
      backendUrl: setup.backendUrl,
      storeUrl: REDIS_URL,
      keyPrefix: prefix,
      ...extra,
    }),
    nestOptions: ({ maxPriority = {}, ...options } = {}) => ({
      ...options,
      broker: AMQP_URL,
      backend: setup.backendUrl,
      brokerOptions: {
        delayPrefix,
        logger: recordingLogger(),
        queues: Object.fromEntries(
          Object.entries(maxPriority).map(([queue, max]) => [
            queue,
            { maxPriority: max },
          ]),
        ),
        ...options.brokerOptions,
      },
    }),
    workerEnv: () => ({
      BROKER_URL: AMQP_URL,
      DELAY_PREFIX: delayPrefix,
      REDIS_URL,
      RESULTS_URL: setup.backendUrl,
      KEY_PREFIX: prefix,
    }),
    waitingForEta: () => messagesInDelayLevels(delayPrefix),
    publishRaw: (queue, envelope) => {
      const { properties } = envelope;
      return publishRaw(
        queue,
        Buffer.from(
          envelope.body,
          properties.body_encoding === 'base64' ? 'base64' : 'utf8',
        ),
        {
          contentType: envelope['content-type'],
          contentEncoding: envelope['content-encoding'],
          headers: envelope.headers,
          correlationId: properties.correlation_id as string | undefined,
          replyTo: properties.reply_to as string | undefined,
          deliveryMode: properties.delivery_mode as number | undefined,
          priority: properties.priority as number | undefined,
        },
      );
    },
    async cleanup() {
      await stopEverything();
      await deleteQueues(queues.splice(0));
      await deleteDelayLevels(delayPrefix);
      await deletePrefix(redis, prefix);
      await deleteResults(sent);
      await redis.quit();
    },
  };
}
