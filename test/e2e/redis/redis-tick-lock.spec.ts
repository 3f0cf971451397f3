import { RedisTickLock } from '../../../lib/locks/redis/redis-tick-lock';
import { describeTickLockContract } from '../../conformance/tick-lock-contract';
import { REDIS_URL, deleteKeys } from '../../support/redis-keys';

describeTickLockContract('redis', {
  open: (namespace) =>
    new RedisTickLock(REDIS_URL, { keyPrefix: `${namespace}:` }),
  cleanup: (namespace) => deleteKeys(`${namespace}:`),
});
