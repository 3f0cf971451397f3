import { AmqpTransport } from '../../../lib/transports/amqp';
import { describeTransportContract } from '../../conformance/transport-contract';
import {
  AMQP_URL,
  deleteDelayLevels,
  deleteQueues,
  recordingLogger,
  useSharedBroker,
} from '../../support/amqp-broker';
import { uniqueName } from '../../support/wait';

useSharedBroker();

const delayPrefix = uniqueName('contract-delay');
afterAll(() => deleteDelayLevels(delayPrefix));

describeTransportContract('amqp', {
  create: async () => {
    const transport = AmqpTransport.fromUrl(AMQP_URL, {
      delayPrefix,
      queueMaxPriority: 9,
      logger: recordingLogger(),
    });
    await transport.connect();
    return transport;
  },
  cleanup: (queues) => deleteQueues(queues),
  redeliveryAfterMs: 0,
  priorityOrder: 'highest-first',
});
