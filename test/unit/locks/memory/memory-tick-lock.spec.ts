import { MemoryTickLock } from '../../../../lib/locks/memory/memory-tick-lock';
import { describeTickLockContract } from '../../../conformance/tick-lock-contract';

describeTickLockContract('memory', {
  open: (namespace) => MemoryTickLock.named(namespace),
  cleanup: async () => undefined,
});
