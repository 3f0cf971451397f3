import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { ResultMeta, resultMeta } from '../../../lib/protocol';
import { RedisResultBackend } from '../../../lib/results/redis/redis-result-backend';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import { REDIS_URL, deletePrefix, uniquePrefix } from './redis-test-support';

describe('redis result backend', () => {
  const admin = new Redis(REDIS_URL);
  const backends: RedisResultBackend[] = [];
  let keyPrefix = '';
  const open = (
    options: ConstructorParameters<typeof RedisResultBackend>[1] = {},
  ) => {
    const backend = RedisResultBackend.fromUrl(REDIS_URL, {
      keyPrefix,
      ...options,
    });
    backends.push(backend);
    return backend;
  };

  beforeEach(() => {
    keyPrefix = uniquePrefix('results');
  });

  afterEach(async () => {
    await Promise.all(backends.splice(0).map((backend) => backend.close()));
    await deletePrefix(admin, keyPrefix);
  });

  afterAll(async () => {
    await admin.quit();
  });

  it("stores Celery's meta under celery-task-meta-<id> with a one-day expiry", async () => {
    const backend = open();
    const id = randomUUID();
    const meta = resultMeta(id, 'SUCCESS', 5);
    await backend.store(meta);
    const key = `${keyPrefix}celery-task-meta-${id}`;
    const stored = JSON.parse((await admin.get(key))!) as Record<
      string,
      unknown
    >;
    expect(Object.keys(stored)).toEqual([
      'status',
      'result',
      'traceback',
      'children',
      'date_done',
      'task_id',
    ]);
    expect(stored).toEqual({ ...meta });
    const ttl = await admin.ttl(key);
    expect(ttl).toBeGreaterThan(86_400 - 60);
    expect(ttl).toBeLessThanOrEqual(86_400);
    expect(await backend.get(id)).toEqual(meta);
    expect(await backend.get(randomUUID())).toBeUndefined();
  });

  it('honours the configured expiry and context.expiresIn', async () => {
    const id = randomUUID();
    await open({ expiresIn: 120 }).store(resultMeta(id, 'STARTED', null));
    expect(
      await admin.ttl(`${keyPrefix}celery-task-meta-${id}`),
    ).toBeLessThanOrEqual(120);
    await open().store(resultMeta(id, 'SUCCESS', 1), { expiresIn: 30 });
    expect(
      await admin.ttl(`${keyPrefix}celery-task-meta-${id}`),
    ).toBeLessThanOrEqual(30);
  });

  it('reads a result Python Celery wrote', async () => {
    const id = '966f57bd-0650-46a2-b6a1-988dc3b9c3ec';
    const written =
      '{"status": "FAILURE", "result": {"exc_type": "ValueError", "exc_message": ["boom"], "exc_module": "builtins"}, "traceback": "Traceback (most recent call last):\\n ... ValueError: boom\\n", "children": [], "date_done": "2026-11-22T02:39:25.969948", "task_id": "966f57bd-0650-46a2-b6a1-988dc3b9c3ec"}';
    await admin.set(`${keyPrefix}celery-task-meta-${id}`, written);
    const meta = await open().get(id);
    expect(meta).toMatchObject({
      status: 'FAILURE',
      result: { exc_type: 'ValueError', exc_message: ['boom'] },
    });
  });

  it('never overwrites a stored SUCCESS (a late redelivery loses)', async () => {
    const backend = open();
    const id = randomUUID();
    await backend.store(resultMeta(id, 'SUCCESS', 'first'));
    await backend.store(
      resultMeta(id, 'FAILURE', {
        exc_type: 'X',
        exc_message: [],
        exc_module: 'y',
      }),
    );
    await backend.store(resultMeta(id, 'STARTED', null));
    expect(await backend.get(id)).toMatchObject({
      status: 'SUCCESS',
      result: 'first',
    });
    // A progress report that merely contains the words is not a SUCCESS.
    const other = randomUUID();
    await backend.store(
      resultMeta(other, 'PROGRESS', { status: 'SUCCESS', done: 1 }),
    );
    await backend.store(resultMeta(other, 'SUCCESS', 2));
    expect(await backend.get(other)).toMatchObject({
      status: 'SUCCESS',
      result: 2,
    });
  });

  it('PUBLISHes every store on the key name, and a waiter wakes on it', async () => {
    const producer = open();
    const backend = open();
    const id = randomUUID();
    const key = `${keyPrefix}celery-task-meta-${id}`;
    const listener = admin.duplicate();
    const heard: string[] = [];
    listener.on('message', (_channel: string, text: string) =>
      heard.push(text),
    );
    await listener.subscribe(key);

    const updates: ResultMeta[] = [];
    const waiting = backend.waitForReady(id, 5000, (meta) =>
      updates.push(meta),
    );
    await sleep(50);
    await producer.store(resultMeta(id, 'STARTED', null));
    await producer.store(resultMeta(id, 'SUCCESS', 42));
    const meta = await waiting;
    expect(meta).toMatchObject({ status: 'SUCCESS', result: 42 });
    expect(updates.map((update) => update.status)).toEqual([
      'STARTED',
      'SUCCESS',
    ]);
    await waitUntil(() => heard.length === 2, 2000, 'both publications');
    expect((JSON.parse(heard[1]) as ResultMeta).status).toBe('SUCCESS');
    listener.disconnect();
  });

  it('resolves at once when the result is already there, and undefined on timeout', async () => {
    const backend = open();
    const id = randomUUID();
    await backend.store(
      resultMeta(id, 'FAILURE', {
        exc_type: 'E',
        exc_message: [],
        exc_module: 'm',
      }),
    );
    expect(await backend.waitForReady(id, 2000)).toMatchObject({
      status: 'FAILURE',
    });
    expect(await backend.waitForReady(randomUUID(), 100)).toBeUndefined();
  });

  it('uses one subscriber connection for many waits, and unsubscribes when nobody waits', async () => {
    const connectionName = uniqueName('results').replace(/-/g, '_');
    const backend = open({ connectionName });
    const producer = open();
    const ids = Array.from({ length: 25 }, () => randomUUID());
    const waits = ids.map((id) => backend.waitForReady(id, 10_000));
    const subscribers = async () =>
      String(await admin.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line: string) =>
          line.includes(` name=${connectionName}:sub `),
        );
    await waitUntil(
      async () => (await subscribers()).some((line) => / sub=25 /.test(line)),
      5000,
      '25 subscriptions',
    );
    expect(await subscribers()).toHaveLength(1);

    await Promise.all(
      ids.map((id) => producer.store(resultMeta(id, 'SUCCESS', id))),
    );
    const metas = await Promise.all(waits);
    expect(metas.map((meta) => meta?.result)).toEqual(ids);
    await waitUntil(
      async () => (await subscribers()).some((line) => / sub=0 /.test(line)),
      5000,
      'unsubscribed',
    );
    expect(await subscribers()).toHaveLength(1);
  });

  it('forget deletes the result', async () => {
    const backend = open();
    const id = randomUUID();
    await backend.store(resultMeta(id, 'SUCCESS', 1));
    await backend.forget(id);
    expect(await backend.get(id)).toBeUndefined();
    expect(await admin.exists(`${keyPrefix}celery-task-meta-${id}`)).toBe(0);
  });
});
