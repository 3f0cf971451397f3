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
});
