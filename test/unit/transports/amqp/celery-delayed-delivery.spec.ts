import {
  CELERY_DELAY_BITS,
  celeryDelayDeliveryExchange,
  celeryDelayEntryExchange,
  celeryDelayLevel,
  celeryDelayLevelArguments,
  celeryDelayRoutingKey,
} from '../../../../lib/transports/amqp/celery-delayed-delivery';
import { runPython } from '../../../support/run-python';

describe("Celery 5.5's native delayed delivery", () => {
  it("computes kombu's calculate_routing_key: 28 binary digits, one word each, then the routing key", () => {
    // kombu/transport/native_delayed_delivery.py, calculate_routing_key, run by Python.
    const kombu = (countdown: number, key: string) =>
      runPython(
        `print('.'.join(list(f'{int(${countdown}):028b}')) + '.${key}')`,
      ).trim();
    for (const seconds of [1, 2, 5, 86_400, 2 ** 28 - 1])
      expect(celeryDelayRoutingKey(seconds, 'emails')).toBe(
        kombu(seconds, 'emails'),
      );
    // Celery truncates: 2.9 s waits 2 s in the levels.
    expect(celeryDelayRoutingKey(2.9, 'q')).toBe(kombu(2.9, 'q'));
    expect(celeryDelayRoutingKey(1, 'q').split('.')).toHaveLength(
      CELERY_DELAY_BITS + 1,
    );
    expect(() => celeryDelayRoutingKey(0.5, 'q')).toThrow(RangeError);
  });

  it("names levels as kombu's level_name, with and without a prefix", () => {
    expect(celeryDelayEntryExchange()).toBe('celery_delayed_27');
    expect(celeryDelayLevel(0, 'app')).toBe('app_celery_delayed_0');
    expect(celeryDelayDeliveryExchange()).toBe('celery_delayed_delivery');
    expect(celeryDelayDeliveryExchange('app')).toBe(
      'app_celery_delayed_delivery',
    );
  });

  it('declares each level’s queue with kombu’s arguments', () => {
    expect(celeryDelayLevelArguments(3, 'quorum')).toEqual({
      'x-queue-type': 'quorum',
      'x-overflow': 'reject-publish',
      'x-message-ttl': { '!': 'int', value: 8000 },
      'x-dead-letter-exchange': 'celery_delayed_2',
      'x-dead-letter-strategy': 'at-least-once',
    });
    // 2^27 s in ms does not fit 32 bits: a plain number, which amqplib sends as a long, as py-amqp does.
    expect(celeryDelayLevelArguments(27, 'classic')).toEqual({
      'x-queue-type': 'classic',
      'x-overflow': 'reject-publish',
      'x-message-ttl': 2 ** 27 * 1000,
      'x-dead-letter-exchange': 'celery_delayed_26',
    });
    expect(
      celeryDelayLevelArguments(0, 'quorum')['x-dead-letter-exchange'],
    ).toBe('celery_delayed_delivery');
  });
});
