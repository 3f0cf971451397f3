import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import {
  TaskMessage,
  buildTaskMessage,
  toCeleryIso,
} from '../../../lib/protocol';
import {
  RedisKeys,
  RedisTransport,
  encodeEnvelope,
} from '../../../lib/transports/redis';
import { Delivery } from '../../../lib/transports/transport';
import { sleep, waitUntil } from '../../support/wait';
import { CAPTURED_SEND_TASK } from './celery-captures';
import {
  REDIS_URL,
  deletePrefix,
  quietLogger,
  uniquePrefix,
} from './redis-test-support';

describe('redis transport: delay store and dead letters', () => {
  const admin = new Redis(REDIS_URL);
  const transports: RedisTransport[] = [];
  let prefix = '';
  let keys: RedisKeys;
  const open = (delayStore = true) => {
    const transport = RedisTransport.fromUrl(REDIS_URL, {
      keyPrefix: prefix,
      logger: quietLogger(),
      delayStore,
    });
    transports.push(transport);
    return transport;
  };
  const consumeInto = async (transport: RedisTransport, queue: string) => {
    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 10,
    });
    return got;
  };
  const task = (options: { eta?: Date; priority?: number } = {}): TaskMessage =>
    buildTaskMessage({
      name: 'tests.later',
      id: randomUUID(),
      args: [],
      kwargs: {},
      origin: 't',
      ...options,
    });

  beforeEach(() => {
    prefix = uniquePrefix('delays');
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

  it('keeps an eta message in the delay store, not in a list, until it is due', async () => {
    const transport = open();
    const due = new Date(Date.now() + 2000);
    const sent = task({ eta: due, priority: 9 });
    await transport.publish('later', sent);
    expect(await transport.size('later')).toBe(0);
    const [member, score] = await admin.zrange(
      keys.delayed('later'),
      0,
      -1,
      'WITHSCORES',
    );
    expect(Number(score)).toBe(due.getTime());
    expect(member.startsWith('9{')).toBe(true);

    const got = await consumeInto(transport, 'later');
    // Until shortly before it is due (measured from `due`: on a busy host the steps
    // above can take a good part of a second), and long enough to mean something.
    const watchMs = due.getTime() - 300 - Date.now();
    expect(watchMs).toBeGreaterThan(500);
    await sleep(watchMs);
    expect(got).toHaveLength(0);
    await waitUntil(() => got.length === 1, 5000, 'the due message');
    expect(Date.now()).toBeGreaterThanOrEqual(due.getTime() - 5);
    expect(got[0].message?.headers.id).toBe(sent.headers.id);
    expect(got[0].message?.properties.priority).toBe(9);
    expect(await admin.zcard(keys.delayed('later'))).toBe(0);
    await got[0].ack();
  });

  it("by default puts an eta message on the queue's list with its eta header, as Celery does", async () => {
    const transport = RedisTransport.fromUrl(REDIS_URL, {
      keyPrefix: prefix,
      logger: quietLogger(),
    });
    transports.push(transport);
    const sent = task({ eta: new Date(Date.now() + 60_000) });
    await transport.publish('later', sent);
    expect(await transport.size('later')).toBe(1);
    expect(await admin.zcard(keys.delayed('later'))).toBe(0);
    const [envelope] = await admin.lrange(keys.list('later'), 0, -1);
    expect(JSON.parse(envelope)).toMatchObject({
      headers: { eta: sent.headers.eta },
    });
  });

  it('can keep the delay store for some queues only (a predicate)', async () => {
    const transport = RedisTransport.fromUrl(REDIS_URL, {
      keyPrefix: prefix,
      logger: quietLogger(),
      delayStore: (queue) => queue !== 'python-only',
    });
    transports.push(transport);
    await transport.publish(
      'python-only',
      task({ eta: new Date(Date.now() + 60_000) }),
    );
    await transport.publish(
      'ours',
      task({ eta: new Date(Date.now() + 60_000) }),
    );
    expect(await transport.size('python-only')).toBe(1);
    expect(await admin.zcard(keys.delayed('python-only'))).toBe(0);
    expect(await transport.size('ours')).toBe(0);
    expect(await admin.zcard(keys.delayed('ours'))).toBe(1);
  });

  it('delivers a message that fell due while no process was running', async () => {
    const producer = open();
    const sent = task({ eta: new Date(Date.now() + 300) });
    await producer.publish('later', sent);
    await producer.close();
    await sleep(500);
    const got = await consumeInto(open(), 'later');
    await waitUntil(() => got.length === 1, 5000, 'the message');
    expect(got[0].message?.headers.id).toBe(sent.headers.id);
    await got[0].ack();
  });

  it('defers an eta message written by Python Celery into the delay store', async () => {
    const envelope = JSON.parse(CAPTURED_SEND_TASK) as {
      headers: Record<string, unknown>;
    };
    const eta = new Date(Date.now() + 800);
    envelope.headers.eta = toCeleryIso(eta);
    await admin.lpush(keys.list('celery'), JSON.stringify(envelope));
    const got = await consumeInto(open(), 'celery');
    await waitUntil(() => got.length === 1, 5000, 'the first delivery');
    await got[0].defer(eta);
    expect(await admin.hlen(keys.unacked)).toBe(0);
    expect(
      Number(
        (await admin.zrange(keys.delayed('celery'), 0, 0, 'WITHSCORES'))[1],
      ),
    ).toBe(eta.getTime());
    await waitUntil(() => got.length === 2, 5000, 'the deferred message');
    expect(Date.now()).toBeGreaterThanOrEqual(eta.getTime() - 5);
    expect(got[1].message?.headers.eta).toBe(envelope.headers.eta);
    await got[1].ack();
  });

  it('keeps dead letters with their reason, lists them and replays them', async () => {
    const transport = open();
    const sent = task();
    await transport.publish('dl', sent);
    const got = await consumeInto(transport, 'dl');
    await waitUntil(() => got.length === 1, 5000, 'the delivery');
    await got[0].deadLetter('handler not found (test)');
    expect(await admin.hlen(keys.unacked)).toBe(0);

    const letters = await transport.listDeadLetters('dl');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      queue: 'dl',
      reason: 'handler not found (test)',
    });
    expect(letters[0].message?.headers.id).toBe(sent.headers.id);
    expect(letters[0].at!.getTime()).toBeLessThanOrEqual(Date.now());
    await sleep(200);
    expect(got).toHaveLength(1);

    expect(await transport.replayDeadLetters('dl')).toBe(1);
    await waitUntil(() => got.length === 2, 5000, 'the replayed message');
    expect(got[1].message?.headers.id).toBe(sent.headers.id);
    expect(await transport.listDeadLetters('dl')).toEqual([]);
    await got[1].ack();
  });

  it('delivers an envelope that does not decode with a decodeError, and keeps it raw when dead-lettered', async () => {
    await admin.lpush(keys.list('bad'), 'not json at all');
    await admin.lpush(keys.list('bad'), '{"body": 42}');
    const transport = open();
    const got = await consumeInto(transport, 'bad');
    await waitUntil(() => got.length === 2, 5000, 'both deliveries');
    for (const delivery of got) {
      expect(delivery.message).toBeUndefined();
      expect(delivery.decodeError).toBeInstanceOf(Error);
      await delivery.deadLetter(delivery.decodeError!.message);
    }
    const letters = await transport.listDeadLetters('bad');
    expect(letters.map((letter) => letter.raw)).toEqual([
      'not json at all',
      '{"body": 42}',
    ]);
    expect(letters[0].reason).toMatch(/not JSON/);
    expect(await admin.hlen(keys.unacked)).toBe(0);
  });
  it('lists them for the DeadLetters service (listDeadLetters): oldest first, up to a limit', async () => {
    const sent = [task(), task()];
    const record = (reason: string, at: number, envelope: string) =>
      JSON.stringify({ queue: 'dl', reason, at, envelope });
    // The list is newest first: LPUSH in the order they were dead-lettered.
    await admin.lpush(
      keys.dead('dl'),
      record('r0', 1000, encodeEnvelope('dl', sent[0])),
      record('r1', 2000, encodeEnvelope('dl', sent[1])),
      record('bad', 3000, 'not json'),
    );
    const transport = open();

    const letters = await transport.listDeadLetters('dl');
    expect(letters.map((letter) => letter.reason)).toEqual(['r0', 'r1', 'bad']);
    expect(Object.keys(letters[0]).sort()).toEqual([
      'at',
      'message',
      'queue',
      'raw',
      'reason',
    ]);
    expect(letters[0]).toMatchObject({
      queue: 'dl',
      reason: 'r0',
      at: new Date(1000),
    });
    expect(letters[0].message?.headers.id).toBe(sent[0].headers.id);
    expect('message' in letters[2]).toBe(false);
    expect(letters[2].decodeError?.message).toMatch(/not JSON/);
    expect(
      (await transport.listDeadLetters('dl', 2)).map((letter) => letter.reason),
    ).toEqual(['r0', 'r1']);
    expect(await transport.listDeadLetters('dl', 0)).toEqual([]);
    expect(await transport.listDeadLetters('empty')).toEqual([]);
    expect(await admin.llen(keys.dead('dl'))).toBe(3);
  });
});
