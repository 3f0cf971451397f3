import { parseAmqpUrl } from '../../../../lib/drivers/amqp/amqp-url';

describe('parseAmqpUrl', () => {
  it('reads Celery-style URLs: // and an empty path are the vhost /', () => {
    for (const url of [
      'amqp://guest:guest@localhost:5672//',
      'amqp://guest@localhost',
      'amqp://localhost/',
    ]) {
      expect(parseAmqpUrl(url).connect.vhost).toBe('/');
    }
    expect(parseAmqpUrl('amqp://u:p@h/%2F').connect.vhost).toBe('/');
    expect(parseAmqpUrl('amqp://u:p@h/orders').connect.vhost).toBe('orders');
  });

  it('takes user, password, host and port, with defaults per scheme', () => {
    const { connect, display } = parseAmqpUrl(
      'amqp://app:s%40cret@rabbit.local:5673/shop',
    );
    expect(connect).toMatchObject({
      protocol: 'amqp',
      hostname: 'rabbit.local',
      port: 5673,
      username: 'app',
      password: 's@cret',
      vhost: 'shop',
    });
    expect(display).toBe('amqp://app@rabbit.local:5673/shop');
    expect(parseAmqpUrl('amqps://h').connect).toMatchObject({
      protocol: 'amqps',
      port: 5671,
    });
    expect(parseAmqpUrl('amqp://h').connect).toMatchObject({
      username: 'guest',
      password: 'guest',
    });
  });

  it('reads heartbeat and frame_max from the query; an explicit heartbeat wins', () => {
    expect(
      parseAmqpUrl('amqp://h?heartbeat=30&frame_max=8192').connect,
    ).toMatchObject({
      heartbeat: 30,
      frameMax: 8192,
    });
    expect(parseAmqpUrl('amqp://h?heartbeat=30', 10).connect.heartbeat).toBe(
      10,
    );
  });

  it('refuses other schemes and bad numbers with a clear message', () => {
    expect(() => parseAmqpUrl('redis://h')).toThrow(/amqp:\/\/ or amqps:\/\//);
    expect(() => parseAmqpUrl('amqp://h?heartbeat=soon')).toThrow(
      /heartbeat=soon/,
    );
    expect(() => parseAmqpUrl('not a url')).toThrow(/invalid AMQP URL/);
  });
});
