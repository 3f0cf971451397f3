import { describeExecutionContract } from '../../conformance/execution';
import { uniqueName } from '../../support/wait';

// The memory broker keeps each test's queues apart by giving each test its own broker.
describeExecutionContract('memory', {
  connection: () => ({ broker: `memory://${uniqueName('exec-broker')}` }),
  cleanup: async () => undefined,
});
