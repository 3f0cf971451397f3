import Redis from 'ioredis';
import { describePoolContract } from '../../conformance/pool/pool-suite';
import { onRedis } from '../../support/test-apps';
import { REDIS_URL, deletePrefix } from './redis-test-support';

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
    for (const url of [REDIS_URL, `${REDIS_URL}/1`]) {
      const admin = new Redis(url);
      await deletePrefix(admin, `${name}:`);
      await admin.quit();
    }
  },
  leaseMs: LEASE_MS,
});
