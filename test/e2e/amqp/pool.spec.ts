import { describePoolContract } from '../../conformance/pool/pool-suite';
import { deleteDelayLevels, deleteQueues } from '../../support/amqp-broker';
import { onRabbitMq } from '../../support/test-apps';

describePoolContract('amqp', {
  module: (name, queue) => onRabbitMq(name, queue),
  cleanUp: async (name) => {
    await deleteQueues([`${name}-q`]);
    await deleteDelayLevels(name);
  },
});
