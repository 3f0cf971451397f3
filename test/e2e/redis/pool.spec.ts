import { describePoolContract } from '../../conformance/pool/pool-suite';
import { onRedis } from '../../support/test-apps';
import { REDIS_URL, deleteKeys } from '../../support/redis-keys';

const LEASE_MS = 900;

describePoolContract('redis', {
  module: (name, queue) => {
    const options = onRedis(`${name}:`, queue);
    return {
      ...options,
      brokerOptions: { ...options.brokerOptions, leaseMs: LEASE_MS },
    };
  },
  cleanUp: async (name) => {
    await deleteKeys(`${name}:`);
    await deleteKeys(`${name}:`, `${REDIS_URL}/1`);
  },
  leaseMs: LEASE_MS,
});
