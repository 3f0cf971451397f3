import { randomUUID } from 'node:crypto';
import { EventDelivery } from '../../../lib/transports/event-bus';
import {
  deleteQueueAsAdmin,
  exclusiveQueuesOf,
  recordingLogger,
  useSharedBroker,
} from '../../support/amqp-broker';
import { amqpFixtures } from '../../support/amqp-fixtures';
import { repeatUntil, uniqueName, waitUntil } from '../../support/wait';

useSharedBroker();

describe('AMQP event bus (celeryev)', () => {
  const fx = amqpFixtures();

  it('hears events again after its receiver queue is deleted while the connection lives', async () => {
    const connectionName = uniqueName('event-bus');
    const logger = recordingLogger();
    const transport = await fx.open({ connectionName, logger });
    const heard: EventDelivery[] = [];
    const subscription = await transport.subscribeEvents((d) => heard.push(d));
    let queues: string[] = [];
    await waitUntil(
      async () =>
        (queues = (await exclusiveQueuesOf(connectionName)).filter((name) =>
          name.startsWith('celeryev.'),
        )).length === 1,
      10_000,
      'the receiver queue',
    );
    // The broker cancels the consumer; the connection stays up, so no reconnection helps.
    await deleteQueueAsAdmin(queues[0]);
    const marker = randomUUID();
    await repeatUntil(
      () =>
        transport.publishEvents(
          [
            {
              routingKey: 'worker.heartbeat',
              body: { type: 'worker-heartbeat', marker },
            },
          ],
          'test-host',
        ),
      () =>
        heard.some(
          (d) => d.ok && (d.body as { marker?: string }).marker === marker,
        ),
      5_000,
      'an event through the re-declared receiver queue',
    );
    expect(logger.lines.filter((line) => line.startsWith('warn '))).toEqual([
      expect.stringContaining('event bus: channel closed'),
    ]);
    await subscription.close();
  });

  it('publishes each task.multi list as one JSON message under task.multi', async () => {
    const transport = await fx.open({ connectionName: uniqueName('lists') });
    const heard: EventDelivery[] = [];
    const subscription = await transport.subscribeEvents((d) => heard.push(d));
    const batches = [
      [
        { type: 'task-started', uuid: 'a', text: 'quote " \\ é 🎉' },
        { type: 'task-received', uuid: 'a', eta: null },
      ],
      [{ type: 'task-succeeded', uuid: 'b', runtime: 0.5 }],
    ];
    const lists = batches.map((events) => {
      const list = transport.openEventList();
      for (const event of events) list.writer.add(event);
      return list;
    });
    try {
      await transport.publishEventLists(lists, 'nœud@h');
      await waitUntil(() => heard.length === 2, 10_000, 'both lists');
    } finally {
      await subscription.close();
    }
    expect(heard).toEqual(batches.map((body) => ({ ok: true, body })));
  });
});
