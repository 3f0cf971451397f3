import { MemoryBroker, MemoryTransport } from '../../lib/transports/memory';
import { describeTransportContract } from '../conformance/transport-contract';

const broker = MemoryBroker.named('transport-contract');

describeTransportContract('memory', {
  create: async () => new MemoryTransport(broker),
  cleanup: async () => broker.purge(),
  redeliveryAfterMs: 0,
});
