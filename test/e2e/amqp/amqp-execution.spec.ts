import { describeExecutionContract } from '../../conformance/execution';
import {
  AMQP_URL,
  deleteDelayLevels,
  deleteQueues,
  useSharedBroker,
} from '../../support/amqp-broker';
import { deleteKeys } from '../../support/redis-keys';
import { uniqueName } from '../../support/wait';
import { REDIS_URL, uniquePrefix } from '../redis/redis-test-support';

useSharedBroker();

const keyPrefix = uniquePrefix('amqp-execution');
const delayPrefix = uniqueName('amqp-execution-delay');

/**
 * RabbitMQ joins the execution suite with results (and so the RevocationStore) in Redis,
 * the most common Celery set-up, and fleet rate limits in Redis. With rpc:// results a
 * revoke reaches the running workers only (docs/rabbitmq.md, "Control bus").
 */
describeExecutionContract('amqp', {
  connection: () => ({
    broker: AMQP_URL,
    brokerOptions: { delayPrefix },
    backend: REDIS_URL,
    backendOptions: { keyPrefix },
    rateLimitStore: REDIS_URL,
  }),
  cleanup: async (queues) => {
    await deleteQueues(queues);
    await deleteKeys(keyPrefix);
  },
});

afterAll(() => deleteDelayLevels(delayPrefix));
