import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { buildTaskMessage, parseTaskMessage } from '../../../lib/protocol';
import {
  KOMBU_SEP,
  RedisKeys,
  RedisTransport,
} from '../../../lib/transports/redis';
import { Delivery } from '../../../lib/transports/transport';
import { sleep, waitUntil } from '../../support/wait';
import {
  CAPTURED_MINIMAL,
  CAPTURED_PRIORITY_5,
  CAPTURED_SEND_TASK,
} from './celery-captures';
import {
  REDIS_URL,
  deletePrefix,
  quietLogger,
  uniquePrefix,
} from './redis-test-support';

/** kombu's Redis layout, checked against what Celery 5.2.6 wrote (celery-captures.ts). */
describe('redis transport: kombu layout', () => {
  const admin = new Redis(REDIS_URL);
  const transports: RedisTransport[] = [];
  let prefix = '';
  let keys: RedisKeys;

  const open = (options: Parameters<typeof RedisTransport.fromUrl>[1] = {}) => {
    const transport = RedisTransport.fromUrl(REDIS_URL, {
      keyPrefix: prefix,
      logger: quietLogger(),
      ...options,
    });
    transports.push(transport);
    return transport;
  };
  const consumeInto = async (
    transport: RedisTransport,
    queue: string,
    prefetch = 10,
  ) => {
    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch,
    });
    return got;
  };

  beforeEach(() => {
    prefix = uniquePrefix('layout');
    keys = new RedisKeys(prefix);
  });

  afterEach(async () => {
    await Promise.all(
      transports.splice(0).map((transport) => transport.close()),
    );
    await deletePrefix(admin, prefix);
  });

  afterAll(async () => {
    await admin.quit();
  });

  it('runs a message Celery pushed (LPUSH of the captured envelope)', async () => {
    await admin.lpush(keys.list('celery'), CAPTURED_SEND_TASK);
    const got = await consumeInto(open(), 'celery');
    await waitUntil(() => got.length === 1, 5000, 'the delivery');
    const request = parseTaskMessage(got[0].message!);
    expect(request).toMatchObject({
      id: 'a5e7a51a-0600-40ac-a93f-3e84ca69a206',
      name: 'tasks.add',
      args: [2, 3],
      kwargs: {},
      replyTo: '85f5d540-71b9-338c-91e0-809ff8345d83',
      origin: 'gen6276@vm',
    });
    expect(got[0].redelivered).toBe(false);
    await got[0].ack();
  });

  it('runs the captured minimal message (raw body, no body_encoding) and the priority-5 one', async () => {
    await admin.lpush(keys.list('celery'), CAPTURED_MINIMAL);
    await admin.lpush(keys.list('other', 3), CAPTURED_PRIORITY_5);
    const transport = open();
    const minimal = await consumeInto(transport, 'celery');
    const other = await consumeInto(transport, 'other');
    await waitUntil(
      () => minimal.length === 1 && other.length === 1,
      5000,
      'both deliveries',
    );
    expect(parseTaskMessage(minimal[0].message!)).toMatchObject({
      name: 'tasks.add',
      args: [2, 3],
    });
    const request = parseTaskMessage(other[0].message!);
    expect(request).toMatchObject({
      args: [2, 3],
      kwargs: { z: 1 },
      priority: 5,
    });
    expect(request.eta?.toISOString()).toBe('2026-11-22T02:39:19.867Z');
    expect(other[0].message!.properties.expiration).toBe('60000');
    await Promise.all([minimal[0].ack(), other[0].ack()]);
  });

  it('publishes the envelope kombu writes, field by field', async () => {
    const captured = JSON.parse(CAPTURED_PRIORITY_5) as Envelope;
    const sent = buildTaskMessage({
      name: 'tasks.add',
      id: randomUUID(),
      args: [2, 3],
      kwargs: { z: 1 },
      origin: 'gen1@tests',
      priority: 5,
      replyTo: randomUUID(),
      expires: new Date(Date.now() + 60_000),
    });
    await open().publish('other', sent);

    expect(await admin.lrange(keys.list('other'), 0, -1)).toEqual([]);
    const [raw] = await admin.lrange(`${prefix}other${KOMBU_SEP}3`, 0, -1);
    const ours = JSON.parse(raw) as Envelope;
    expect(Object.keys(ours)).toEqual(Object.keys(captured));
    expect(Object.keys(ours.properties)).toEqual(
      Object.keys(captured.properties),
    );
    expect(Object.keys(ours.headers)).toEqual(Object.keys(captured.headers));
    for (const key of Object.keys(captured.headers)) {
      expect([key, typeOf(ours.headers[key])]).toEqual([
        key,
        typeOf(sent.headers[key]),
      ]);
    }
    for (const key of ['content-encoding', 'content-type'] as const) {
      expect(ours[key]).toBe(captured[key]);
    }
    expect(ours.headers).toEqual(sent.headers);
    expect(Buffer.from(ours.body, 'base64').toString('utf8')).toBe(sent.body);
    expect(Buffer.from(ours.body, 'base64').toString('base64')).toBe(ours.body);
    const p = ours.properties;
    expect(p.body_encoding).toBe('base64');
    expect(p.delivery_tag).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(p.delivery_info).toEqual({ exchange: '', routing_key: 'other' });
    expect(p.priority).toBe(5);
    expect(p.delivery_mode).toBe(2);
    expect(p.correlation_id).toBe(sent.headers.id);
    expect(p.reply_to).toBe(sent.properties.reply_to);
    expect(typeof p.expiration).toBe('string');
    expect(await admin.smembers(keys.binding('other'))).toEqual([
      `other${KOMBU_SEP}${KOMBU_SEP}other`,
    ]);
  });

  it('records an outstanding delivery in unacked / unacked_index as kombu does', async () => {
    const transport = open({ leaseMs: 20_000 });
    const sent = buildTaskMessage({
      name: 'tests.held',
      id: randomUUID(),
      args: [],
      kwargs: {},
      origin: 't',
    });
    await transport.publish('held', sent);
    const [pushed] = await admin.lrange(keys.list('held'), 0, -1);
    const before = Date.now() / 1000;
    const got = await consumeInto(transport, 'held');
    await waitUntil(() => got.length === 1, 5000, 'the delivery');

    const tags = await admin.hkeys(keys.unacked);
    expect(tags).toHaveLength(1);
    const [tag] = tags;
    // docs/redis.md: a uuid drawn for the fetch, and the delivery's number in it.
    expect(tag).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.1$/,
    );
    const entry = JSON.parse(
      (await admin.hget(keys.unacked, tag))!,
    ) as unknown[];
    expect(entry).toEqual([JSON.parse(pushed), '', 'held']);
    const score = Number(await admin.zscore(keys.unackedIndex, tag));
    expect(score).toBeGreaterThanOrEqual(before - 5);
    expect(score).toBeLessThanOrEqual(Date.now() / 1000 + 5);
    expect(Number(await admin.zscore(keys.leases, tag))).toBeGreaterThan(
      Date.now() + 10_000,
    );
    expect(await admin.llen(keys.list('held'))).toBe(0);

    await got[0].ack();
    expect(await admin.hlen(keys.unacked)).toBe(0);
    expect(await admin.zcard(keys.unackedIndex)).toBe(0);
    expect(await admin.zcard(keys.leases)).toBe(0);
  });

  it('restores a Python delivery older than the visibility timeout, not a fresh one', async () => {
    const stale = JSON.parse(CAPTURED_SEND_TASK) as Envelope;
    const fresh = JSON.parse(CAPTURED_SEND_TASK) as Envelope;
    fresh.headers.id = 'fresh';
    const queue = 'celery';
    const now = Date.now() / 1000;
    // What kombu's QoS.append writes: dumps([message._raw, exchange, routing_key]).
    await admin.hset(
      keys.unacked,
      'py-stale',
      `[${JSON.stringify(stale)}, "", "${queue}"]`,
    );
    await admin.zadd(keys.unackedIndex, now - 30, 'py-stale');
    await admin.hset(
      keys.unacked,
      'py-fresh',
      `[${JSON.stringify(fresh)}, "", "${queue}"]`,
    );
    await admin.zadd(keys.unackedIndex, now, 'py-fresh');

    // A short lease must not touch a Python worker's delivery: only the visibility timeout.
    const got = await consumeInto(
      open({ visibilityTimeout: 10, leaseMs: 200 }),
      queue,
    );
    await waitUntil(() => got.length === 1, 5000, 'the restored delivery');
    await sleep(600);
    expect(got).toHaveLength(1);
    expect(got[0].message?.headers.id).toBe(stale.headers.id);
    expect(got[0].redelivered).toBe(true);
    expect(await admin.hexists(keys.unacked, 'py-stale')).toBe(0);
    expect(await admin.zscore(keys.unackedIndex, 'py-stale')).toBeNull();
    expect(await admin.hexists(keys.unacked, 'py-fresh')).toBe(1);
    await got[0].ack();
  });

  it('restores through a named exchange binding, and waits while kombu holds unacked_mutex', async () => {
    const envelope = JSON.parse(CAPTURED_SEND_TASK) as Envelope;
    await admin.sadd(
      `${prefix}_kombu.binding.celery`,
      `celery${KOMBU_SEP}${KOMBU_SEP}bound`,
    );
    await admin.hset(
      keys.unacked,
      'py-named',
      `[${JSON.stringify(envelope)}, "celery", "celery"]`,
    );
    await admin.zadd(keys.unackedIndex, Date.now() / 1000 - 30, 'py-named');
    await admin.set(keys.unackedMutex, 'kombu-token', 'PX', 700);

    const got = await consumeInto(
      open({ visibilityTimeout: 10, sweepIntervalMs: 100 }),
      'bound',
    );
    await sleep(400);
    expect(got).toHaveLength(0);
    await waitUntil(() => got.length === 1, 5000, 'the restored delivery');
    expect(got[0].queue).toBe('bound');
    await got[0].ack();
  });

  it('keeps renewing the lease of a long-held delivery, so it is never redelivered', async () => {
    const holder = open({ leaseMs: 300 });
    const rival = open({ leaseMs: 300 });
    await holder.publish(
      'long',
      buildTaskMessage({
        name: 'tests.long',
        id: randomUUID(),
        args: [],
        kwargs: {},
        origin: 't',
      }),
    );
    const held = await consumeInto(holder, 'long');
    await waitUntil(() => held.length === 1, 5000, 'the delivery');
    const rivalGot = await consumeInto(rival, 'long');
    const [tag] = await admin.hkeys(keys.unacked);
    const firstScore = Number(await admin.zscore(keys.unackedIndex, tag));

    await sleep(2000); // more than six lease periods
    expect(rivalGot).toHaveLength(0);
    expect(held).toHaveLength(1);
    // The kombu index score keeps moving, so a Python sweep never takes it either.
    expect(Number(await admin.zscore(keys.unackedIndex, tag))).toBeGreaterThan(
      firstScore + 1,
    );
    await held[0].ack();
    await sleep(400);
    expect(rivalGot).toHaveLength(0);
  });
});

interface Envelope {
  body: string;
  'content-encoding': string;
  'content-type': string;
  headers: Record<string, unknown>;
  properties: Record<string, unknown>;
}

function typeOf(value: unknown): string {
  return value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : typeof value;
}
