import { amqpSection } from '../../../bench/amqp';
import { useSharedBroker } from '../../support/amqp-broker';

useSharedBroker();

/** The RabbitMQ bench section runs end to end on a tiny scale (no timing asserted). */
describe('bench: RabbitMQ section (smoke)', () => {
  it('measures every system in every scenario', async () => {
    const section = amqpSection({
      enqueueCount: 30,
      tasks: 30,
      concurrencies: [10],
      latencyRate: 100,
      latencySeconds: 0.3,
      celeryPools: ['prefork'],
      runBudgetSeconds: 30,
    });
    const measurements = await section.run();
    const systems = (scenario: RegExp) =>
      measurements
        .filter((m) => scenario.test(m.scenario))
        .map((m) => m.system)
        .sort();
    expect(systems(/^enqueue/)).toEqual(['bare amqplib', 'celeriac', 'celery']);
    const workers = ['bare amqplib', 'celeriac', 'celery -P prefork'];
    expect(systems(/^throughput/)).toEqual(workers);
    expect(systems(/p50$/)).toEqual(workers);
    expect(systems(/p99$/)).toEqual(workers);
    expect(measurements.every((m) => m.value > 0)).toBe(true);
  }, 180_000);
});
