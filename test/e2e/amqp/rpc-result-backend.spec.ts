import { randomUUID } from 'node:crypto';
import type { ConsumeMessage } from 'amqplib';
import { ResultMeta, resultMeta } from '../../../lib/protocol';
import { AmqpConnection } from '../../../lib/drivers/amqp/amqp-connection';
import { RpcResultBackend } from '../../../lib/results/rpc/rpc-result-backend';
import {
  AMQP_URL,
  closeConnectionNamed,
  connectionPid,
  deleteQueues,
  rawChannel,
  recordingLogger,
  useSharedBroker,
} from '../../support/amqp-broker';
import { sleep, waitUntil } from '../../support/wait';

useSharedBroker();

describe('rpc:// result backend', () => {
  const backends: RpcResultBackend[] = [];
  const queues: string[] = [];
  const open = async (connectionName?: string) => {
    const backend = RpcResultBackend.fromUrl('rpc://', {
      brokerUrl: AMQP_URL,
      connectionName,
      logger: recordingLogger(),
    });
    backends.push(backend);
    queues.push(backend.replyTo);
    await backend.connect();
    return backend;
  };
  /** The worker's side: it only publishes to the reply_to it was given. */
  const worker = () => open();
  /**
   * Stores the result until the client heard it: a reply published before its queue was
   * declared again is lost (rpc:// keeps nothing).
   */
  const replyUntilHeard = (
    server: RpcResultBackend,
    client: RpcResultBackend,
    id: string,
    result: string,
    ms: number,
  ) =>
    waitUntil(
      async () => {
        await server.store(resultMeta(id, 'SUCCESS', result), {
          replyTo: client.replyTo,
        });
        return (await client.get(id)) !== undefined;
      },
      ms,
      'a reply through the re-declared queue',
    );

  afterEach(async () => {
    await Promise.all(backends.splice(0).map((backend) => backend.close()));
    await deleteQueues([], queues.splice(0));
  });

  it('matches replies to tasks by id, in any order, buffering those nobody waits for yet', async () => {
    const client = await open();
    const server = await worker();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const waitingForB = client.waitForReady(b, 5000);
    for (const [id, value] of [
      [c, 3],
      [b, 2],
      [a, 1],
    ] as const) {
      await server.store(resultMeta(id, 'SUCCESS', value), {
        replyTo: client.replyTo,
      });
    }
    expect((await waitingForB)?.result).toBe(2);
    expect((await client.waitForReady(a, 5000))?.result).toBe(1);
    await waitUntil(
      async () => (await client.get(c)) !== undefined,
      5000,
      'the reply for c',
    );
    expect(await client.get(c)).toMatchObject({
      task_id: c,
      status: 'SUCCESS',
      result: 3,
    });
    await client.forget(c);
    expect(await client.get(c)).toBeUndefined();
  });

  it('reports intermediate states, resolves on a ready one, and never replaces a SUCCESS', async () => {
    const client = await open();
    const server = await worker();
    const id = randomUUID();
    const seen: string[] = [];
    const ready = client.waitForReady(id, 5000, (meta) =>
      seen.push(meta.status),
    );
    const context = { replyTo: client.replyTo };
    await server.store(resultMeta(id, 'STARTED', null), context);
    await server.store(resultMeta(id, 'PROGRESS', { done: 5 }), context);
    await server.store(resultMeta(id, 'SUCCESS', 'ok'), context);
    expect(await ready).toMatchObject({ status: 'SUCCESS', result: 'ok' });
    expect(seen).toEqual(['STARTED', 'PROGRESS', 'SUCCESS']);
    await server.store(
      resultMeta(id, 'FAILURE', { exc_type: 'Late' }),
      context,
    );
    const other = randomUUID();
    await server.store(resultMeta(other, 'SUCCESS', 1), context); // comes after the late one
    await client.waitForReady(other, 5000);
    expect((await client.get(id))?.status).toBe('SUCCESS');
  });

  it('resolves with undefined at the timeout when no reply comes', async () => {
    const client = await open();
    expect(await client.waitForReady(randomUUID(), 200)).toBeUndefined();
  });

  it('replies exactly as Celery 5.2 does (capture) and declares the reply queue as Celery does', async () => {
    const server = await worker();
    const { model, channel } = await rawChannel();
    const replyTo = `celery-client-${randomUUID()}`;
    queues.push(replyTo);
    try {
      // A Celery 5.2 client's reply queue (its oid), declared with Celery's arguments.
      await channel.assertQueue(replyTo, {
        durable: false,
        autoDelete: true,
        arguments: { 'x-expires': { '!': 'int', value: 86_400_000 } },
      });
      const got: ConsumeMessage[] = [];
      await channel.consume(
        replyTo,
        (message) => message && got.push(message),
        { noAck: true },
      );
      const id = randomUUID();
      await server.store(resultMeta(id, 'SUCCESS', 5), { replyTo });
      await waitUntil(() => got.length === 1, 5000, 'the reply');
      const { properties, content, fields } = got[0];
      expect(fields.exchange).toBe('');
      expect(fields.routingKey).toBe(replyTo);
      expect(properties).toMatchObject({
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        headers: {},
        deliveryMode: 1,
        priority: 0,
        correlationId: id,
      });
      expect(JSON.parse(content.toString())).toEqual({
        task_id: id,
        status: 'SUCCESS',
        result: 5,
        traceback: null,
        children: [],
      });

      // Our own reply queue takes Celery's declaration without PRECONDITION_FAILED.
      const client = await open();
      await expect(
        channel.assertQueue(client.replyTo, {
          durable: false,
          autoDelete: true,
          arguments: { 'x-expires': { '!': 'int', value: 86_400_000 } },
        }),
      ).resolves.toMatchObject({ queue: client.replyTo });
    } finally {
      await model.close();
    }
  });

  it('reads replies sent by a Celery worker (no date_done) and drops a reply whose client is gone', async () => {
    const client = await open();
    const server = await worker();
    const id = randomUUID();
    const { model, channel } = await rawChannel();
    try {
      channel.sendToQueue(
        client.replyTo,
        Buffer.from(
          JSON.stringify({
            task_id: id,
            status: 'FAILURE',
            result: {
              exc_type: 'ValueError',
              exc_message: ['boom'],
              exc_module: 'builtins',
            },
            traceback: 'Traceback...',
            children: [],
          }),
        ),
        {
          contentType: 'application/json',
          contentEncoding: 'utf-8',
          correlationId: id,
          deliveryMode: 1,
          headers: {},
        },
      );
      const meta = (await client.waitForReady(id, 5000)) as ResultMeta;
      expect(meta).toMatchObject({
        status: 'FAILURE',
        traceback: 'Traceback...',
        date_done: null,
      });
      expect(meta.result).toMatchObject({ exc_type: 'ValueError' });
    } finally {
      await model.close();
    }
    await expect(
      server.store(resultMeta(randomUUID(), 'SUCCESS', 1), {
        replyTo: `gone-${randomUUID()}`,
      }),
    ).resolves.toBeUndefined();
    await expect(
      server.store(resultMeta(randomUUID(), 'SUCCESS', 1), {}),
    ).resolves.toBeUndefined();
  });

  it('declares and consumes its reply queue again after losing its connection', async () => {
    const connectionName = `rpc-${randomUUID()}`;
    const client = await open(connectionName);
    const server = await worker();
    await closeConnectionNamed(connectionName);
    const id = randomUUID();
    const ready = client.waitForReady(id, 10_000);
    // The auto-delete queue went with the connection; a reply now needs the new one.
    await waitUntil(
      async () => (await connectionPid(connectionName)) !== undefined,
      10_000,
      'the new connection',
    );
    await replyUntilHeard(server, client, id, 'back', 10_000);
    expect((await ready)?.result).toBe('back');
  });

  it('declares and consumes its reply queue again after it is deleted while the connection lives', async () => {
    const client = await open();
    const server = await worker();
    const { model, channel } = await rawChannel();
    try {
      await channel.deleteQueue(client.replyTo);
    } finally {
      await model.close();
    }
    const id = randomUUID();
    const ready = client.waitForReady(id, 10_000);
    await replyUntilHeard(server, client, id, 'again', 5_000);
    expect((await ready)?.result).toBe('again');
  });

  it('leaves no consumer behind when closed while its reply channel is opening', async () => {
    const connection = new AmqpConnection(AMQP_URL, {
      logger: recordingLogger(),
    });
    const backend = new RpcResultBackend(connection, {
      logger: recordingLogger(),
    });
    queues.push(backend.replyTo);
    const { model, channel } = await rawChannel();
    channel.on('error', () => undefined); // checkQueue's 404 closes it
    try {
      await connection.get(Date.now() + 10_000);
      const connecting = backend.connect();
      // The channel is asked for now; its answer takes a round trip to the broker.
      await new Promise((resolve) => setImmediate(resolve));
      await backend.close();
      await connecting.catch(() => undefined);
      await sleep(200); // a set-up that went on regardless would be consuming by now
      const consumers = await channel
        .checkQueue(backend.replyTo)
        .then((queue) => queue.consumerCount)
        .catch(() => 0); // 404: the auto-delete queue went with its consumer, or never was
      expect(consumers).toBe(0);
    } finally {
      await connection.close();
      await model.close();
    }
  });
});
