import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { Task, TaskClient, TaskContext, TaskRevokedError } from '../../../lib';
import {
  ControlMessage,
  readRevoke,
  revokeMessage,
} from '../../../lib/transports/control-bus';
import {
  RedisTransport,
  RedisTransportOptions,
} from '../../../lib/transports/redis';
import { parseRedisUrl } from '../../../lib/drivers/redis';
import { TestApps, onRedis } from '../../support/test-apps';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import {
  CAPTURED_PIDBOX_PING,
  CAPTURED_PIDBOX_REVOKE,
  CAPTURED_PIDBOX_REVOKE_TERMINATE,
} from './celery-captures';
import { PrivateRedisServer } from '../../support/private-redis-server';
import {
  REDIS_URL,
  deletePrefix,
  quietLogger,
  uniquePrefix,
} from './redis-test-support';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** How many connections are SUBSCRIBEd to `channel` (the server's own count). */
async function subscribers(redis: Redis, channel: string): Promise<number> {
  const [, count] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
  return Number(count);
}

/** Celery's pidbox on Redis: `PUBLISH <keyPrefix>/<db>.celery.pidbox <kombu envelope>`. */
describe('RedisTransport control bus (Celery pidbox)', () => {
  const redis = new Redis(REDIS_URL);
  const opened: RedisTransport[] = [];
  let prefix: string;
  let channel: string;

  const open = (
    options: RedisTransportOptions = {},
    db = 0,
    url = REDIS_URL,
  ): RedisTransport => {
    const transport = new RedisTransport(
      { ...parseRedisUrl(url), db },
      { keyPrefix: prefix, logger: quietLogger(), ...options },
    );
    opened.push(transport);
    return transport;
  };

  beforeEach(() => {
    prefix = uniquePrefix('control');
    channel = `${prefix}/0.celery.pidbox`;
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((transport) => transport.close()));
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('hears what Python Celery publishes (captured revoke and ping envelopes)', async () => {
    const transport = open();
    const heard: ControlMessage[] = [];
    await transport.subscribeControl((message) => heard.push(message));

    expect(await redis.publish(channel, CAPTURED_PIDBOX_REVOKE)).toBe(1);
    await redis.publish(channel, CAPTURED_PIDBOX_REVOKE_TERMINATE);
    await redis.publish(channel, CAPTURED_PIDBOX_PING);
    await waitUntil(() => heard.length === 3, 5000, 'three messages');

    expect(heard[0]).toEqual({
      method: 'revoke',
      arguments: {
        task_id: '11111111-2222-3333-4444-555555555555',
        terminate: false,
        signal: 'SIGTERM',
      },
      destination: null,
      pattern: null,
      matcher: null,
    });
    expect(readRevoke(heard[0])).toEqual({
      taskIds: ['11111111-2222-3333-4444-555555555555'],
      terminate: false,
    });
    expect(readRevoke(heard[1])).toEqual({
      taskIds: ['a-1', 'a-2'],
      terminate: true,
    });
    expect(heard[2]).toEqual({
      method: 'ping',
      arguments: {},
      destination: null,
      pattern: null,
      matcher: null,
      ticket: 'f7c2ca68-01b4-4aa5-82da-c36e45244198',
      reply_to: {
        exchange: 'reply.celery.pidbox',
        routing_key: '85b65e2b-3d19-3011-b8fb-fc15c197a325',
      },
    });
  });

  it('broadcasts kombu’s envelope on <keyPrefix>/<db>.celery.pidbox', async () => {
    const transport = open({}, 5);
    const listener = redis.duplicate();
    const received: string[] = [];
    listener.on('message', (_channel: string, text: string) =>
      received.push(text),
    );
    await listener.subscribe(`${prefix}/5.celery.pidbox`);
    try {
      const message = revokeMessage(['t-1'], true);
      const before = Date.now() / 1000;
      await transport.broadcastControl(message);
      await transport.broadcastControl(revokeMessage(['t-2'], false));
      await waitUntil(() => received.length === 2, 5000, 'the broadcasts');

      const envelope = JSON.parse(received[0]) as {
        body: string;
        headers: { clock: number; expires: number };
        properties: { delivery_tag: string };
      };
      const captured = JSON.parse(CAPTURED_PIDBOX_REVOKE) as typeof envelope;
      // The same keys as kombu's, in kombu's order, at every level.
      expect(Object.keys(envelope)).toEqual(Object.keys(captured));
      expect(Object.keys(envelope.headers)).toEqual(
        Object.keys(captured.headers),
      );
      expect(Object.keys(envelope.properties)).toEqual(
        Object.keys(captured.properties),
      );
      expect(envelope).toMatchObject({
        'content-encoding': 'utf-8',
        'content-type': 'application/json',
        headers: { clock: 1 },
        properties: {
          delivery_mode: 2,
          delivery_info: { exchange: 'celery.pidbox', routing_key: '' },
          priority: 0,
          body_encoding: 'base64',
        },
      });
      expect(envelope.properties.delivery_tag).toMatch(UUID);
      expect(envelope.headers.expires).toBeGreaterThanOrEqual(before + 1);
      expect(envelope.headers.expires).toBeLessThan(Date.now() / 1000 + 2);
      expect(
        JSON.parse(Buffer.from(envelope.body, 'base64').toString('utf8')),
      ).toEqual(message);
      expect((JSON.parse(received[1]) as typeof envelope).headers.clock).toBe(
        2,
      );
    } finally {
      listener.disconnect();
    }
  });

  it('reaches every subscriber on the same prefix and db, and no other', async () => {
    const sender = open();
    const heard = { same: 0, otherPrefix: 0, otherDb: 0 };
    await open().subscribeControl(() => heard.same++);
    await open().subscribeControl(() => heard.same++);
    await open({ keyPrefix: `${prefix}x:` }).subscribeControl(
      () => heard.otherPrefix++,
    );
    await open({}, 1).subscribeControl(() => heard.otherDb++);

    await sender.broadcastControl(revokeMessage(['t-1'], false));
    await waitUntil(() => heard.same === 2, 5000, 'both subscribers');
    await sleep(50);
    expect(heard).toEqual({ same: 2, otherPrefix: 0, otherDb: 0 });
  });

  it('logs and ignores what does not decode, and a handler that throws, and keeps listening', async () => {
    const logger = quietLogger();
    const transport = open({ logger });
    const heard: string[] = [];
    await transport.subscribeControl((message) => {
      heard.push(message.method);
      if (message.method === 'ping') throw new Error('handler bug');
    });
    const envelope = (body: string, extra: object = {}) =>
      JSON.stringify({
        body: Buffer.from(body).toString('base64'),
        'content-type': 'application/json',
        properties: { body_encoding: 'base64' },
        ...extra,
      });
    for (const bad of [
      'not json',
      '[1, 2]',
      '{"headers": {}}',
      envelope('not json either'),
      envelope('{"arguments": {}}'),
      envelope('{"method": "ping"}', {
        'content-type': 'application/x-python-serialize',
      }),
      envelope('{"method": "ping"}', { properties: { body_encoding: 'gz' } }),
    ]) {
      await redis.publish(channel, bad);
    }
    await redis.publish(channel, envelope('{"method": "ping"}'));
    await redis.publish(channel, CAPTURED_PIDBOX_REVOKE);
    await waitUntil(() => heard.length === 2, 5000, 'the good messages');

    expect(heard).toEqual(['ping', 'revoke']);
    const ignored = logger.lines.filter((line) =>
      line.includes('does not decode'),
    );
    expect(ignored).toHaveLength(7);
    expect(ignored[0]).toMatch(/^warn: .*envelope is not JSON.*: not json$/);
    expect(ignored[4]).toMatch(/no "method"/);
    expect(ignored[5]).toMatch(/unsupported content-type/);
    expect(ignored[6]).toMatch(/unsupported body_encoding "gz"/);
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^error: .*"ping" threw: Error: handler bug/),
    );
  });

  it('unsubscribes and quits its connection on close, and on the transport’s close', async () => {
    const connectionName = `${prefix}conn`;
    const transport = open({ connectionName });
    const controlConnections = async () =>
      String(await redis.client('LIST'))
        .split('\n')
        .filter((line) => line.includes(`name=${connectionName}:control`))
        .length;
    const heard: string[] = [];
    const subscription = await transport.subscribeControl((message) =>
      heard.push(message.method),
    );
    expect(await subscribers(redis, channel)).toBe(1);
    expect(await controlConnections()).toBe(1);

    await subscription.close();
    await subscription.close(); // twice is harmless
    expect(await subscribers(redis, channel)).toBe(0);
    await waitUntil(
      async () => (await controlConnections()) === 0,
      5000,
      'the connection to quit',
    );
    expect(await redis.publish(channel, CAPTURED_PIDBOX_REVOKE)).toBe(0);

    await transport.subscribeControl(() => undefined);
    await transport.subscribeControl(() => undefined);
    expect(await subscribers(redis, channel)).toBe(2);
    await transport.close();
    expect(await subscribers(redis, channel)).toBe(0);
    await expect(transport.subscribeControl(() => undefined)).rejects.toThrow(
      /closed/,
    );
    await expect(
      transport.broadcastControl(revokeMessage(['t'], false)),
    ).rejects.toThrow(/closed/);
    expect(heard).toEqual([]);
  });

  it('subscribes again after Redis restarts, and waits for Redis when it is down', async () => {
    const server = await PrivateRedisServer.start();
    const probe = new Redis(server.url, { retryStrategy: () => 100 });
    probe.on('error', () => undefined);
    try {
      const logger = quietLogger();
      const first = open({ logger, publishWaitMs: 300 }, 0, server.url);
      const heard: string[] = [];
      await first.subscribeControl(() => heard.push('first'));
      expect(await subscribers(probe, channel)).toBe(1);

      await server.kill();
      // Subscribing while Redis is down resolves (with a warning) after publishWaitMs.
      const second = open({ logger, publishWaitMs: 300 }, 0, server.url);
      await second.subscribeControl(() => heard.push('second'));
      expect(logger.lines).toContainEqual(
        expect.stringMatching(/control channel: Redis .* is unavailable/),
      );
      await server.restart();
      await waitUntil(
        async () =>
          probe.status === 'ready' && (await subscribers(probe, channel)) === 2,
        10_000,
        'both subscriptions after the restart',
      );

      await probe.publish(channel, CAPTURED_PIDBOX_REVOKE);
      await first.broadcastControl(revokeMessage(['t-1'], false));
      await waitUntil(() => heard.length === 4, 5000, 'four deliveries');
      expect(heard.sort()).toEqual(['first', 'first', 'second', 'second']);
    } finally {
      await Promise.all(opened.splice(0).map((transport) => transport.close()));
      probe.disconnect();
      await server.stop();
    }
  }, 30_000);
});

@Injectable()
class ControlTasks {
  ran: string[] = [];

  constructor(private readonly taskContext: TaskContext) {}

  @Task('control.later')
  later(): string {
    this.ran.push(this.taskContext.current.id);
    return 'ran';
  }
}

describe('a revoke sent by Python Celery (app.control.revoke)', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = uniquePrefix('py-revoke');
  const queue = uniqueName('py-revoke-q');
  const apps = new TestApps();

  afterAll(async () => {
    await apps.close();
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('reaches a Celeriac worker on Redis: the task is stored REVOKED and never runs', async () => {
    const app = await apps.open(
      {
        ...onRedis(prefix, queue),
        backend: REDIS_URL,
        worker: { queues: [queue], shutdownTimeout: 0.3 },
      },
      { providers: [ControlTasks] },
    );
    try {
      const later = await app
        .get(TaskClient)
        .send('control.later', [], { countdown: 1 });
      // The captured envelope verbatim, with this task's id in its body (Python's spacing).
      const body = Buffer.from(
        `{"method": "revoke", "arguments": {"task_id": "${later.id}", "terminate": false, "signal": "SIGTERM"}, "destination": null, "pattern": null, "matcher": null}`,
      ).toString('base64');
      const envelope = CAPTURED_PIDBOX_REVOKE.replace(
        /"body": "[^"]+"/,
        `"body": "${body}"`,
      );
      expect(await redis.publish(`${prefix}/0.celery.pidbox`, envelope)).toBe(
        1,
      );
      const error = (await later
        .get({ timeout: 10 })
        .catch((e: unknown) => e)) as TaskRevokedError;
      expect(error).toBeInstanceOf(TaskRevokedError);
      expect(error.reason).toBe('revoked');
      expect(app.get(ControlTasks).ran).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
