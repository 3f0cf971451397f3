import { describeExecutionContract } from '../../conformance/execution';
import { deleteKeys } from '../../support/redis-keys';
import { REDIS_URL, uniquePrefix } from './redis-test-support';

const keyPrefix = uniquePrefix('execution');

describeExecutionContract('redis', {
  connection: () => ({ broker: REDIS_URL, brokerOptions: { keyPrefix } }),
  cleanup: () => deleteKeys(keyPrefix),
  // RedisTransport: ControlBus + RevocationStore (revoke) and listDeadLetters to come.
  notYet: ['revoke', 'dead-letters'],
});
