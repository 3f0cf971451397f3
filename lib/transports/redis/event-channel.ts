import { Command } from 'ioredis';
import type { Redis } from 'ioredis';
import {
  EVENT_EXCHANGE,
  EventDelivery,
  EventList,
  EventMessage,
  EventSubscription,
} from '../event-bus';
import { closeConnection } from '../../drivers/redis/close-connection';
import { ReadyGate, watchConnection, withDeadline } from './connection';
import {
  decodeJsonEnvelope,
  encodeJsonTextEnvelopeBytes,
} from './control-envelope';
import { RedisTransportLogger } from './redis-transport-options';
import { OpenSubscriptions } from './open-subscriptions';
import { RedisEventList } from './event-list';
import { BufferPool } from '../../common/buffer-pool';

export interface RedisEventChannelOptions {
  client: Redis;
  ready: ReadyGate;
  /** `<keyPrefix>/<db>.celeryev`: kombu's fanout channel of the event exchange. */
  channel: string;
  createSubscriber: () => Redis;
  waitMs: number;
  where: string;
  logger: RedisTransportLogger;
}

/**
 * Celery's events on Redis as kombu carries a fanout exchange with routing keys:
 * `PUBLISH <channel>/<routing key>`, heard with `PSUBSCRIBE <channel>/*` (kombu turns
 * the receiver's `#` binding into `*`). A flush's messages are written one after the
 * other, without waiting for the replies in between.
 */
export class RedisEventChannel {
  private readonly subscribers = new OpenSubscriptions<EventSubscriber>();
  /** The lists' buffers, back once Redis has answered their PUBLISH. */
  private readonly listBuffers = new BufferPool(64 * 1024, 8);

  constructor(private readonly options: RedisEventChannelOptions) {}

  /**
   * Encodes every message before the first await: the caller's event objects are free
   * for the garbage collector at once, and only the envelopes wait for Redis. Never
   * throws: a body JSON cannot write is a rejection.
   */
  publish(messages: readonly EventMessage[], hostname: string): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    const { channel } = this.options;
    const headers = { hostname };
    let commands: Command[];
    try {
      commands = messages.map(
        (message) =>
          new Command('publish', [
            `${channel}/${message.routingKey}`,
            encodeJsonTextEnvelopeBytes(
              JSON.stringify(message.body),
              headers,
              EVENT_EXCHANGE,
              message.routingKey,
            ),
          ]),
      );
    } catch (error) {
      return Promise.reject(
        new Error(`events not published: ${(error as Error).message}`),
      );
    }
    return this.send(commands);
  }

  openList(): RedisEventList {
    return new RedisEventList(
      `${this.options.channel}/task.multi`,
      this.listBuffers.take(),
    );
  }

  /**
   * Writes each list's frame before the first await, then sends them; their buffers
   * are written in again once Redis has answered every one (not after a failure: a
   * command that timed out may still wait in ioredis's queue, or be sent again after
   * a reconnection). Never throws.
   */
  publishLists(lists: readonly EventList[], hostname: string): Promise<void> {
    let framed: RedisEventList[];
    let commands: Command[];
    try {
      framed = lists.map((list) => {
        if (!(list instanceof RedisEventList))
          throw new Error('a list this transport did not open');
        return list;
      });
      commands = framed.map((list) => list.command(hostname));
    } catch (error) {
      return Promise.reject(
        new Error(`events not published: ${(error as Error).message}`),
      );
    }
    return this.send(commands).then(() => {
      for (const list of framed) this.listBuffers.give(list.framedIn!);
    });
  }

  /** Writes the commands in order, without waiting between them; one deadline for all. */
  private async send(commands: Command[]): Promise<void> {
    const { client, ready, waitMs, where } = this.options;
    const what = 'publish events';
    await ready.wait(waitMs, what);
    await withDeadline(
      Promise.all(commands.map((command) => client.sendCommand(command))),
      waitMs,
      what,
      where,
    );
  }

  async subscribe(
    handler: (delivery: EventDelivery) => void,
  ): Promise<EventSubscription> {
    return this.subscribers.open(
      (leave) => new EventSubscriber(this.options, handler, leave),
    );
  }

  async close(): Promise<void> {
    await this.subscribers.closeAll();
  }
}

class EventSubscriber implements EventSubscription {
  private readonly connection: Redis;
  private readonly pattern: string;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly options: RedisEventChannelOptions,
    private readonly handler: (delivery: EventDelivery) => void,
    private readonly onClose: () => void,
  ) {
    this.pattern = `${options.channel}/*`;
    this.connection = options.createSubscriber();
    watchConnection(
      this.connection,
      `redis event channel (${options.where})`,
      options.where,
      options.logger,
    );
    this.connection.on(
      'pmessage',
      (pattern: string, _channel: string, text: string) => {
        if (pattern === this.pattern && !this.closing) this.deliver(text);
      },
    );
  }

  async start(): Promise<void> {
    const { waitMs, where } = this.options;
    await withDeadline(
      this.connection.psubscribe(this.pattern),
      waitMs,
      `subscribe to "${this.pattern}"`,
      where,
    );
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.onClose();
    this.connection.removeAllListeners('pmessage');
    await closeConnection(this.connection);
  }

  private deliver(text: string): void {
    let delivery: EventDelivery;
    try {
      delivery = { ok: true, body: JSON.parse(decodeJsonEnvelope(text).body) };
    } catch (error) {
      delivery = { ok: false, reason: (error as Error).message };
    }
    this.handler(delivery);
  }
}
