import { MessageTooLargeError } from '../../../lib';
import {
  REDIS_MAX_VALUE_BYTES,
  RABBITMQ_MAX_MESSAGE_BYTES,
  checkSize,
  sizeLimitOption,
  utf8SizeIfNear,
} from '../../../lib/transports/message-size';

describe('message size limits', () => {
  it("defaults to the brokers' own limits: Redis 512 MiB a value, RabbitMQ 128 MiB (3.8 to 3.13)", () => {
    expect(REDIS_MAX_VALUE_BYTES).toBe(536_870_912);
    expect(RABBITMQ_MAX_MESSAGE_BYTES).toBe(134_217_728);
    expect(sizeLimitOption(undefined, 10, 'x')).toBe(10);
    expect(sizeLimitOption(2048, 10, 'x')).toBe(2048);
  });

  it.each([0, -1, 1.5, '16MiB', Number.NaN])(
    'refuses the option %p, naming it',
    (value) => {
      expect(() =>
        sizeLimitOption(value, 10, 'brokerOptions.maxMessageSize'),
      ).toThrow(/brokerOptions.maxMessageSize must be a positive whole number/);
    },
  );

  it('throws MessageTooLargeError over the limit only, naming size, limit and option', () => {
    expect(() => checkSize(() => 'm', 100, 100, 'o')).not.toThrow();
    expect(() =>
      checkSize(() => 'task t[1]', 3 * 1024 * 1024, 1024 * 1024, 'o'),
    ).toThrow(
      'task t[1] is 3145728 bytes (3.0 MiB), over the limit of 1048576 bytes (1.0 MiB, the option o)',
    );
  });

  it('counts UTF-8 bytes when the text may be over the limit', () => {
    expect(utf8SizeIfNear('é'.repeat(10), 30)).toBe(10);
    expect(utf8SizeIfNear('é'.repeat(10), 29)).toBe(20);
    expect(new MessageTooLargeError('x', 2, 1, 'o').name).toBe(
      'MessageTooLargeError',
    );
  });
});
