import {
  EventDelivery,
  EventSubscription,
} from '../../../lib/transports/event-bus';
import { RedisTransport } from '../../../lib/transports/redis';
import { waitUntil } from '../../support/wait';
import { REDIS_URL, quietLogger, uniquePrefix } from './redis-test-support';

/** Celery's events on Redis: kombu's fanout, `PUBLISH <prefix>/0.celeryev/<routing key>`. */
describe('RedisTransport event bus', () => {
  let prefix: string;
  let transport: RedisTransport;
  let subscription: EventSubscription | undefined;

  beforeEach(() => {
    prefix = uniquePrefix('events');
    transport = RedisTransport.fromUrl(REDIS_URL, {
      keyPrefix: prefix,
      logger: quietLogger(),
    });
  });

  afterEach(async () => {
    await subscription?.close();
    subscription = undefined;
    await transport.close(); // PUBLISH stores nothing: no keys to delete
  });

  it('rejects a batch JSON cannot write, without throwing, and publishes the next one', async () => {
    const heard: EventDelivery[] = [];
    subscription = await transport.subscribeEvents((delivery) =>
      heard.push(delivery),
    );
    const bad = [{ type: 'task-started', uuid: 'a', clock: 1n }];
    let sent: Promise<void> | undefined;
    expect(() => {
      sent = transport.publishEvents(
        [{ routingKey: 'task.multi', body: bad }],
        'n@h',
      );
    }).not.toThrow();
    await expect(sent).rejects.toThrow(/events not published: .*BigInt/);

    const good = [
      { type: 'task-started', uuid: 'b', hostname: 'nœud@h' },
      { type: 'task-succeeded', uuid: 'b', result: "'é'" },
    ];
    await transport.publishEvents(
      [{ routingKey: 'task.multi', body: good }],
      'nœud@h',
    );
    await waitUntil(() => heard.length === 1);
    expect(heard).toEqual([{ ok: true, body: good }]);
  });
});
