import { describeExecutionContract } from '../../conformance/execution';
import { deleteKeys } from '../../support/redis-keys';
import { REDIS_URL, uniquePrefix } from './redis-test-support';

const keyPrefix = uniquePrefix('execution');

describeExecutionContract('redis', {
  connection: () => ({
    broker: REDIS_URL,
    brokerOptions: { keyPrefix },
    // The backend behind the same prefix, so the kept revokes are cleaned up too.
    backendOptions: { keyPrefix },
  }),
  cleanup: () => deleteKeys(keyPrefix),
});
