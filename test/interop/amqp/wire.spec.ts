import { AMQP, interopBroker } from '../support/brokers';
import { secondsAfter } from '../support/wire';
import { wireCapture } from '../support/wire-capture';

/** RabbitMQ only: what the delay levels change (the rest is in ../wire.spec.ts). */
describe('interop on RabbitMQ: the wire, field by field', () => {
  const broker = interopBroker(AMQP, 'wire-delays');
  const capture = wireCapture(broker);

  it('countdown, expires and priority: the same, but for what the delay levels change', async () => {
    const before = Date.now();
    const captured = await capture.sameCall(
      {
        name: 'wire.task',
        args: [2, 3],
        options: { countdown: 1, expires: 60, priority: 5 },
      },
      [[2, 3], { countdown: 1, expires: 60, priority: 5 }],
    );
    const celery = captured.celery.message;
    const celeriac = captured.celeriac.message;
    for (const message of [celery, celeriac]) {
      const { eta, expires } = message.headers;
      expect(secondsAfter(eta, before)).toBeGreaterThanOrEqual(1);
      expect(secondsAfter(expires, before) - secondsAfter(eta, before)).toBe(
        59,
      );
    }
    // Celery's message waits in the queue, held by the worker until its eta; Celeriac's
    // waited in RabbitMQ's delay levels and was dead-lettered into the queue on time:
    // sent without `expiration` (RabbitMQ would expire it inside a level), it carries
    // RabbitMQ's x-death headers, and RabbitMQ rewrote the header table in key order.
    expect(celery.properties.expiration).toBe('60000');
    expect(celeriac.properties.expiration).toBeUndefined();
    const deathHeaders = Object.keys(celeriac.headers).filter((key) =>
      /^x-(death|first-death-|last-death-)/.test(key),
    );
    expect(deathHeaders).toContain('x-death');
    const celeryOrder = Object.keys(celery.headers);
    expect(Object.keys(celeriac.headers)).toEqual(
      [...celeryOrder, ...deathHeaders].sort(),
    );
    celeriac.headers = Object.fromEntries(
      celeryOrder.map((key) => [key, celeriac.headers[key]]),
    );
    delete celery.properties.expiration;
    expect(captured.differences()).toEqual([]);
  });
});
