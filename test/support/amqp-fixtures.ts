import { AmqpTransport, AmqpTransportOptions } from '../../lib/transports/amqp';
import {
  AMQP_URL,
  deleteDelayLevels,
  deleteQueues,
  recordingLogger,
} from './amqp-broker';
import { uniqueName } from './wait';

/**
 * Per-test bookkeeping for AMQP specs: transports to close and queues to delete after
 * each test. Call `setup()` inside a describe.
 */
export function amqpFixtures() {
  const transports: AmqpTransport[] = [];
  const queues: string[] = [];
  const extra: string[] = [];
  // The delay levels are shared by every queue; tests keep their own set, removed after.
  const delayPrefix = uniqueName('test-delay');

  afterAll(() => deleteDelayLevels(delayPrefix));
  afterEach(async () => {
    await Promise.all(
      transports.splice(0).map((transport) => transport.close()),
    );
    await deleteQueues(queues.splice(0), extra.splice(0));
  });

  return {
    /** A connected transport, closed after the test. */
    async open(options: AmqpTransportOptions = {}): Promise<AmqpTransport> {
      const transport = AmqpTransport.fromUrl(AMQP_URL, {
        logger: recordingLogger(),
        delayPrefix,
        ...options,
      });
      transports.push(transport);
      await transport.connect();
      return transport;
    },
    /** A queue name of this test, deleted (with its exchange and `.dead`) after it. */
    queue(prefix = 'amqp'): string {
      const name = uniqueName(prefix);
      queues.push(name);
      return name;
    },
    /** Any other queue or exchange name to delete after the test. */
    alsoDelete(...names: string[]): void {
      extra.push(...names);
    },
  };
}

export { argOf, taskMessage as task } from './task-messages';
