import Redis from 'ioredis';
import { RedisTransport } from '../../../lib/transports/redis';
import { describeTransportContract } from '../../conformance/transport-contract';
import {
  REDIS_URL,
  deletePrefix,
  quietLogger,
  uniquePrefix,
} from './redis-test-support';

const keyPrefix = uniquePrefix('contract');
const admin = new Redis(REDIS_URL);
const leaseMs = 1000;

afterAll(async () => {
  await deletePrefix(admin, keyPrefix);
  await admin.quit();
});

describeTransportContract('redis', {
  create: async () =>
    RedisTransport.fromUrl(REDIS_URL, {
      keyPrefix,
      leaseMs,
      logger: quietLogger(),
    }),
  cleanup: async () => deletePrefix(admin, keyPrefix),
  redeliveryAfterMs: leaseMs,
  etaWaits: 'queue',
});

describe('redis transport with the delay store', () => {
  describeTransportContract('redis (delayStore: true)', {
    create: async () =>
      RedisTransport.fromUrl(REDIS_URL, {
        keyPrefix,
        leaseMs,
        delayStore: true,
        logger: quietLogger(),
      }),
    cleanup: async () => deletePrefix(admin, keyPrefix),
    redeliveryAfterMs: leaseMs,
  });
});
