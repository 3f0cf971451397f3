import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import {
  CallControlOptions,
  ControlMessage,
  ControlReply,
  ControlReplyTo,
  ControlSubscription,
} from '../control-bus';
import {
  REPLY_EXCHANGE,
  ReplyCollector,
  newReplyQueue,
} from '../reply-collector';
import { KOMBU_SEP } from './keys';
import {
  closeConnection,
  dropConnection,
} from '../../drivers/redis/close-connection';
import { ReadyGate, watchConnection, withDeadline } from './connection';
import { explainFailure } from '../../drivers/redis/refusal';
import { RedisUnavailableError } from './errors';
import {
  DecodedControl,
  decodeControlEnvelope,
  decodeJsonEnvelope,
  encodeControlEnvelope,
  encodeJsonEnvelope,
} from './control-envelope';
import { RedisTransportLogger } from './redis-transport-options';
import { OpenSubscriptions } from './open-subscriptions';

export interface RedisControlChannelOptions {
  /** The transport's connection: broadcasts are PUBLISHed on it. */
  client: Redis;
  ready: ReadyGate;
  /** `<keyPrefix>/<db>.celery.pidbox` (see `fanoutChannel`). */
  channel: string;
  /** kombu's global_keyprefix: binding sets and reply lists are behind it. */
  keyPrefix: string;
  /** A new connection for one subscription (subscriber mode needs its own). */
  createSubscriber: () => Redis;
  /** How long a broadcast or a subscribe waits through an outage (ms). */
  waitMs: number;
  where: string;
  logger: RedisTransportLogger;
}

/**
 * Celery's remote control on Redis, as kombu does it: a broadcast is one `PUBLISH` of
 * kombu's envelope on the pidbox channel, and every subscription listens with
 * `SUBSCRIBE` on a connection of its own (ioredis subscribes again after a reconnect;
 * what is published while it is away is lost, as with kombu). Owned by RedisTransport.
 */
export class RedisControlChannel {
  /** A Lamport clock, as kombu keeps one for `headers.clock`. */
  private clock = 0;
  private readonly subscribers = new OpenSubscriptions<ControlSubscriber>();

  constructor(private readonly options: RedisControlChannelOptions) {}

  get channel(): string {
    return this.options.channel;
  }

  async broadcast(message: ControlMessage): Promise<void> {
    const { client, ready, channel, waitMs, where } = this.options;
    const what = `broadcast the control command "${message.method}"`;
    await ready.wait(waitMs, what);
    this.clock += 1;
    const envelope = encodeControlEnvelope(message, this.clock);
    await withDeadline(client.publish(channel, envelope), waitMs, what, where);
  }

  async subscribe(
    handler: (message: ControlMessage) => void,
  ): Promise<ControlSubscription> {
    return this.subscribers.open(
      (leave) =>
        new ControlSubscriber(
          this.options,
          handler,
          (clock) => (this.clock = Math.max(this.clock, clock)),
          leave,
        ),
    );
  }

  /**
   * kombu's direct exchange on Redis: the members of `_kombu.binding.<exchange>` whose
   * routing key matches name the lists to LPUSH the reply on; none: nobody waits, dropped.
   */
  async reply(
    replyTo: ControlReplyTo,
    ticket: string | undefined,
    reply: ControlReply,
  ): Promise<void> {
    const { client, ready, waitMs, where, keyPrefix } = this.options;
    const what = 'reply to a control command';
    await ready.wait(waitMs, what);
    const members = await withDeadline(
      client.smembers(`${keyPrefix}_kombu.binding.${replyTo.exchange}`),
      waitMs,
      what,
      where,
    );
    const queues = members
      .map((member) => member.split(KOMBU_SEP))
      .filter(([routingKey]) => routingKey === replyTo.routing_key)
      .map((parts) => parts[2]);
    if (queues.length === 0) return;
    this.clock += 1;
    const envelope = encodeJsonEnvelope(
      reply,
      { ticket, clock: this.clock },
      replyTo.exchange,
      replyTo.routing_key,
    );
    const pipeline = client.pipeline();
    for (const queue of new Set(queues))
      pipeline.lpush(`${keyPrefix}${queue}`, envelope);
    await withDeadline(pipeline.exec(), waitMs, what, where);
  }

  /**
   * kombu's `_broadcast(reply=True)` on Redis: binds a reply list of its own to
   * `reply.celery.pidbox`, broadcasts, BRPOPs replies on a connection of its own until
   * the timeout or the limit, then unbinds and deletes the list (an auto-delete queue).
   */
  async call(
    message: ControlMessage,
    options: CallControlOptions,
  ): Promise<ControlReply[]> {
    const { client, keyPrefix, waitMs, where } = this.options;
    const { oid, queue } = newReplyQueue();
    const bindingKey = `${keyPrefix}_kombu.binding.${REPLY_EXCHANGE}`;
    const member = [oid, '', queue].join(KOMBU_SEP);
    const list = `${keyPrefix}${queue}`;
    const collector = new ReplyCollector(randomUUID(), options);
    await withDeadline(
      client.sadd(bindingKey, member),
      waitMs,
      'bind a reply queue',
      where,
    );
    const blocker = this.options.createSubscriber();
    blocker.on('error', () => undefined); // a failed BRPOP ends the collection
    try {
      await this.broadcast({
        ...message,
        ticket: collector.ticket,
        reply_to: { exchange: REPLY_EXCHANGE, routing_key: oid },
      });
      collector.start();
      const until = Date.now() + options.timeoutMs;
      while (!collector.finished) {
        const left = until - Date.now();
        if (left <= 0) break;
        const popped = await blocker
          .brpop(list, Math.max(0.01, left / 1000))
          .catch(() => null);
        if (!popped) continue;
        try {
          const { body, headers } = decodeJsonEnvelope(popped[1]);
          collector.add(JSON.parse(body), headers.ticket);
        } catch (error) {
          this.options.logger.warn(
            `redis control channel: ignored a reply that does not decode (${(error as Error).message})`,
          );
        }
      }
      return await collector.done;
    } finally {
      await dropConnection(blocker);
      await client
        .multi()
        .srem(bindingKey, member)
        .del(list)
        .exec()
        .catch(() => undefined);
    }
  }

  /** Unsubscribes and closes every subscription's connection. */
  async close(): Promise<void> {
    await this.subscribers.closeAll();
  }
}

/** One subscription: its own connection, SUBSCRIBEd to the channel. */
class ControlSubscriber implements ControlSubscription {
  private readonly connection: Redis;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly options: RedisControlChannelOptions,
    private readonly handler: (message: ControlMessage) => void,
    private readonly onClock: (clock: number) => void,
    private readonly onClose: () => void,
  ) {
    this.connection = options.createSubscriber();
    watchConnection(
      this.connection,
      `redis control channel (${options.where})`,
      options.where,
      options.logger,
    );
    this.connection.on('message', (channel: string, text: string) =>
      this.onMessage(channel, text),
    );
  }

  /**
   * Resolves once Redis confirmed the subscription. When Redis is down, it resolves
   * after `waitMs` with a warning: the SUBSCRIBE is sent when the connection is back.
   */
  async start(): Promise<void> {
    const { channel, waitMs, where, logger } = this.options;
    try {
      await withDeadline(
        this.connection.subscribe(channel),
        waitMs,
        `subscribe to "${channel}"`,
        where,
      );
    } catch (error) {
      if (!(error instanceof RedisUnavailableError))
        throw explainFailure(this.connection, error);
      logger.warn(
        `redis control channel: Redis at ${where} is unavailable; remote control commands are heard once it is back`,
      );
    }
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.onClose();
    this.connection.removeAllListeners('message');
    if (this.connection.status === 'ready') {
      await withDeadline(
        this.connection.unsubscribe(this.options.channel),
        1000,
        'unsubscribe',
        this.options.where,
      ).catch(() => undefined);
    }
    await closeConnection(this.connection);
  }

  private onMessage(channel: string, text: string): void {
    if (channel !== this.options.channel || this.closing) return;
    let decoded: DecodedControl;
    try {
      decoded = decodeControlEnvelope(text);
    } catch (error) {
      this.options.logger.warn(
        `redis control channel: ignored a message on "${channel}" that does not decode (${(error as Error).message}): ${excerpt(text)}`,
      );
      return;
    }
    if (decoded.clock !== undefined) this.onClock(decoded.clock);
    try {
      this.handler(decoded.message);
    } catch (error) {
      this.options.logger.error(
        `redis control channel: the handler of "${decoded.message.method}" threw: ${String(error)}`,
      );
    }
  }
}

function excerpt(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
