import { TaskClient } from '../../../lib';
import { RedisKeys } from '../../../lib/transports/redis';
import { uniqueName } from '../../support/wait';
import { REDIS, interopBroker } from '../support/brokers';
import { nestApp } from '../support/nest-app';
import { CeleryWorker } from '../support/python';

/** Redis only: Celeriac's delay store, which Celery workers never read. */
describe('interop on Redis: Nest sends, a Celery worker runs', () => {
  const broker = interopBroker(REDIS, 'n2p-delays');
  const keys = new RedisKeys(broker.prefix);
  const queue = broker.queue('py');

  beforeAll(async () => {
    await CeleryWorker.start({
      name: uniqueName('n2p-delays'),
      queues: [queue],
      config: broker.celeryConfig(),
    });
  });

  afterAll(() => broker.cleanup());

  it('delayStore as a predicate: eta messages for Python queues go on the list, others to the delay store', async () => {
    const nestOnly = uniqueName('nest-only');
    const app = await nestApp(
      broker.nestOptions({
        brokerOptions: { delayStore: (name: string) => name !== queue },
      }),
    );
    const producer = app.get(TaskClient);
    const parked = await producer.send('nest.later', [], {
      queue: nestOnly,
      countdown: 3600,
    });
    broker.sent.add(parked.id);
    expect(await broker.redis.zcard(keys.delayed(nestOnly))).toBe(1);
    expect(await broker.redis.llen(keys.list(nestOnly))).toBe(0);

    const before = Date.now();
    const result = await producer.send<{ ran_at: number; eta: number }>(
      'py.when',
      [],
      { queue, countdown: 1 },
    );
    broker.sent.add(result.id);
    const { ran_at: ranAt, eta } = await result.get({ timeout: 20 });
    expect(eta * 1000).toBeGreaterThanOrEqual(before + 1000);
    expect(ranAt).toBeGreaterThanOrEqual(eta);
    expect(await broker.redis.zcard(keys.delayed(queue))).toBe(0);
  });
});
