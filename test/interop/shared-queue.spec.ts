import { uniqueName } from '../support/wait';
import { BROKERS, InteropSetup, interopBroker } from './support/brokers';
import { SharedRun } from './support/shared-run';
import {
  SharedQueuePlan,
  runOneQueueTwoLanguages,
} from './support/shared-queue';
import { amqpSharedQueuePlan } from './support/shared-queue-amqp';
import { redisSharedQueuePlan } from './support/shared-queue-redis';

/** How each broker gives a killed worker's deliveries to the other language's worker. */
const PLANS: Record<InteropSetup['broker'], typeof redisSharedQueuePlan> = {
  redis: redisSharedQueuePlan,
  amqp: amqpSharedQueuePlan,
};

/**
 * Celery and Celeriac workers on one queue, 2,000 tasks sent from both sides, a
 * worker of each kind SIGKILLed mid-run (support/shared-queue.ts; what differs by
 * broker is in support/shared-queue-redis.ts and shared-queue-amqp.ts).
 */
describe.each(BROKERS)(
  'interop on $label: one queue, two languages',
  (setup) => {
    const broker = interopBroker(setup, 'shared');
    const queue = broker.queue('shared');
    const shared = new SharedRun(
      broker.redis,
      broker.prefix,
      uniqueName('run'),
    );
    const plan: SharedQueuePlan = PLANS[setup.broker](broker, queue, shared);

    afterAll(() => broker.cleanup());

    it('2,000 tasks sent from both sides all run, each once but for redelivery after SIGKILL of a worker of each kind', async () => {
      await runOneQueueTwoLanguages({ broker, queue, shared, plan });
    }, 150_000);
  },
);
