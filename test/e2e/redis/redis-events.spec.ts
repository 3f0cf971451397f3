import {
  EventDelivery,
  EventSubscription,
} from '../../../lib/transports/event-bus';
import Redis from 'ioredis';
import { RedisTransport } from '../../../lib/transports/redis';
import { RedisEventList } from '../../../lib/transports/redis/event-list';
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

  it("publishes each task.multi list as one message: kombu's envelope, the list as text (no base64)", async () => {
    const heard: EventDelivery[] = [];
    subscription = await transport.subscribeEvents((delivery) =>
      heard.push(delivery),
    );
    const raw = new Redis(REDIS_URL);
    const envelopes: string[] = [];
    raw.on('pmessage', (_pattern, _channel, text: string) =>
      envelopes.push(text),
    );
    await raw.psubscribe(`${prefix}/0.celeryev/*`);
    const batches = [
      [
        { type: 'task-started', uuid: 'a', text: 'quote " \\ é 🎉 \u2028' },
        { type: 'task-received', uuid: 'a', args: "('é',)", eta: null },
      ],
      [{ type: 'task-succeeded', uuid: 'b', result: "'x'", runtime: 0.5 }],
    ];
    const publish = async (events: Record<string, unknown>[][]) => {
      const lists = events.map((list) => {
        const opened = transport.openEventList() as RedisEventList;
        for (const event of list) opened.writer.add(event);
        return opened;
      });
      await transport.publishEventLists(lists, 'nœud@h');
      return lists.map((list) => list.framedIn);
    };
    // The second flush writes in a buffer of the first again: shorter, nothing stale.
    const shorter = [[{ type: 'task-started', uuid: 'c' }]];
    try {
      const first = await publish(batches);
      const [reused] = await publish(shorter);
      expect(first).toContain(reused);
      await waitUntil(() => heard.length === 3 && envelopes.length === 3);
    } finally {
      await raw.quit();
    }
    expect(heard).toEqual(
      [...batches, ...shorter].map((body) => ({ ok: true, body })),
    );
    const envelope = JSON.parse(envelopes[0]) as Record<string, unknown>;
    expect(envelope).toMatchObject({
      'content-type': 'application/json',
      'content-encoding': 'utf-8',
      headers: { hostname: 'nœud@h' },
      properties: {
        body_encoding: null,
        delivery_mode: 1,
        delivery_info: { exchange: 'celeryev', routing_key: 'task.multi' },
      },
    });
    expect(JSON.parse(envelope.body as string)).toEqual(batches[0]);
  });
});
