import { randomUUID } from 'node:crypto';
import { buildTaskMessage, resultMeta } from '../../../lib/protocol';
import { RpcResultBackend } from '../../../lib/results/rpc/rpc-result-backend';
import { AmqpTransport } from '../../../lib/transports/amqp';
import { Delivery } from '../../../lib/transports/transport';
import {
  AMQP_URL,
  closeConnectionNamed,
  connectionPid,
  deleteQueues,
  rabbitmqctl,
  recordingLogger,
  useSharedBroker,
} from '../../support/amqp-broker';
import { uniqueName, waitUntil } from '../../support/wait';

useSharedBroker();

/**
 * A worker's rpc:// replies for deliveries it has not settled travel on the channel
 * that delivered them (ahead of the ack), and the others through the confirm publisher.
 */
describe('rpc:// replies on the consumer channel', () => {
  const closing: Array<{ close(): Promise<unknown> }> = [];
  const queues: string[] = [];

  afterEach(async () => {
    for (const item of closing.splice(0).reverse()) await item.close();
    await deleteQueues(queues.splice(0));
  });

  /** A worker's transport and the rpc backend sharing its connection, as the module wires them. */
  async function worker(connectionName: string) {
    const logger = recordingLogger();
    const transport = AmqpTransport.fromUrl(AMQP_URL, {
      connectionName,
      logger,
    });
    const backend = new RpcResultBackend(transport.connection, { logger });
    closing.push(transport, backend);
    const queue = uniqueName('lanes');
    queues.push(queue);
    const deliveries: Delivery[] = [];
    await transport.consume([queue], (d) => deliveries.push(d), {
      prefetch: 10,
    });
    return { transport, backend, logger, queue, deliveries };
  }

  async function client() {
    const backend = RpcResultBackend.fromUrl('rpc://', {
      brokerUrl: AMQP_URL,
      logger: recordingLogger(),
    });
    closing.push(backend);
    queues.push(backend.replyTo);
    await backend.connect();
    const producer = AmqpTransport.fromUrl(AMQP_URL, {
      logger: recordingLogger(),
    });
    closing.push(producer);
    const send = async (queue: string) => {
      const id = randomUUID();
      await producer.publish(
        queue,
        buildTaskMessage({
          name: 'lanes.task',
          id,
          args: [],
          kwargs: {},
          origin: 'test@host',
          replyTo: backend.replyTo,
        }),
      );
      return id;
    };
    return { backend, send };
  }

  /** The channels RabbitMQ has open on the named connection. */
  async function channelsOf(connectionName: string): Promise<number> {
    const pid = await connectionPid(connectionName);
    const out = await rabbitmqctl(
      'list_channels',
      'connection',
      '-q',
      '--no-table-headers',
    );
    return out.split('\n').filter((line) => line.trim() === pid).length;
  }

  it('sends the reply of an unsettled delivery on its channel, then acks it there', async () => {
    const name = uniqueName('lanes-conn');
    const w = await worker(name);
    const c = await client();
    const id = await c.send(w.queue);
    await waitUntil(() => w.deliveries.length === 1, 5000, 'the delivery');
    const lanes = w.transport.connection.replyLanes;
    expect(lanes.laneOf(id)).toBeDefined();
    const channels = await channelsOf(name);

    await w.backend.store(resultMeta(id, 'SUCCESS', 42), {
      replyTo: c.backend.replyTo,
    });
    await w.deliveries[0].ack();

    expect((await c.backend.waitForReady(id, 5000))?.result).toBe(42);
    expect(lanes.laneOf(id)).toBeUndefined();
    // No publisher channel was opened for the reply.
    expect(await channelsOf(name)).toBe(channels);
  });

  it('sends the reply of a settled or unknown task through the confirm publisher', async () => {
    const w = await worker(uniqueName('lanes-conn'));
    const c = await client();
    const id = await c.send(w.queue);
    await waitUntil(() => w.deliveries.length === 1, 5000, 'the delivery');
    await w.deliveries[0].ack(); // acks early: the reply comes after
    expect(w.transport.connection.replyLanes.laneOf(id)).toBeUndefined();

    await w.backend.store(resultMeta(id, 'SUCCESS', 'late'), {
      replyTo: c.backend.replyTo,
    });
    const other = randomUUID();
    await w.backend.store(resultMeta(other, 'SUCCESS', 'other'), {
      replyTo: c.backend.replyTo,
    });
    expect((await c.backend.waitForReady(id, 5000))?.result).toBe('late');
    expect((await c.backend.waitForReady(other, 5000))?.result).toBe('other');
  });

  it('logs a reply whose queue is gone, without failing the store', async () => {
    const w = await worker(uniqueName('lanes-conn'));
    const c = await client();
    const id = await c.send(w.queue);
    await waitUntil(() => w.deliveries.length === 1, 5000, 'the delivery');

    await w.backend.store(resultMeta(id, 'SUCCESS', null), {
      replyTo: uniqueName('no-such-reply-queue'),
    });
    await w.deliveries[0].ack();
    await waitUntil(
      () => w.logger.lines.some((line) => /is gone.*dropped/.test(line)),
      5000,
      'the dropped reply to be logged',
    );
  });

  it('after the connection is lost, replies go through the publisher and the task comes again', async () => {
    const name = uniqueName('lanes-conn');
    const w = await worker(name);
    const c = await client();
    const id = await c.send(w.queue);
    await waitUntil(() => w.deliveries.length === 1, 5000, 'the delivery');
    await closeConnectionNamed(name);
    await waitUntil(
      () => w.transport.connection.replyLanes.laneOf(id) === undefined,
      10_000,
      'the lane to be dropped with its channel',
    );

    await w.backend.store(resultMeta(id, 'SUCCESS', 'after'), {
      replyTo: c.backend.replyTo,
    });
    await w.deliveries[0].ack(); // its channel is gone: a logged no-op
    expect((await c.backend.waitForReady(id, 10_000))?.result).toBe('after');
    await waitUntil(() => w.deliveries.length === 2, 15_000, 'redelivery');
    expect(w.deliveries[1].redelivered).toBe(true);
    expect(w.transport.connection.replyLanes.laneOf(id)).toBeDefined();
    await w.deliveries[1].ack();
  });
});
