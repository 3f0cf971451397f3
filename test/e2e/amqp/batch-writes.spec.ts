import { batchSocketWrites } from '../../../lib/drivers/amqp/batch-writes';
import { connectQuietly, deleteQueues } from '../../support/amqp-broker';
import { uniqueName } from '../../support/wait';

/**
 * batchSocketWrites patches amqplib internals: this fails when an amqplib upgrade
 * moves them (the worker would silently go back to one syscall per frame), and
 * checks that frames still arrive, in order, with the patch on.
 */
describe('batching amqplib socket writes', () => {
  const queue = uniqueName('batch-writes');

  afterAll(() => deleteQueues([queue]));

  it('finds the internals of the installed amqplib and keeps message order', async () => {
    const model = await connectQuietly();
    try {
      expect(batchSocketWrites(model)).toBe(true);
      const channel = await model.createConfirmChannel();
      await channel.assertQueue(queue, { durable: false });
      for (let n = 0; n < 500; n++)
        channel.sendToQueue(queue, Buffer.from(String(n)));
      await channel.waitForConfirms();
      const received: number[] = [];
      await new Promise<void>((resolve, reject) => {
        channel
          .consume(queue, (message) => {
            if (!message) return;
            received.push(Number(message.content.toString()));
            channel.ack(message);
            if (received.length === 500) resolve();
          })
          .catch(reject);
      });
      expect(received).toEqual(Array.from({ length: 500 }, (_, n) => n));
      await channel.close();
    } finally {
      await model.close();
    }
  });
});
