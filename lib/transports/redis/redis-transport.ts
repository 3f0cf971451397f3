import Redis, { RedisOptions } from 'ioredis';
import { TaskMessage, parseCeleryIso } from '../../protocol';
import {
  CallControlOptions,
  ControlBus,
  ControlMessage,
  ControlReply,
  ControlReplyTo,
  ControlSubscription,
} from '../control-bus';
import {
  ConnectionState,
  ConsumeOptions,
  Consumer,
  DeadLetter,
  DeadLetterAccess,
  Delivery,
  QueueDepth,
  QueueInspection,
  QueuePurge,
  Transport,
} from '../transport';
import { ConnectionCheck } from '../connection-check';
import { RedisControlChannel } from './control-channel';
import { RedisEventChannel } from './event-channel';
import {
  EVENT_EXCHANGE,
  EventBus,
  EventDelivery,
  EventList,
  EventMessage,
  EventSubscription,
} from '../event-bus';
import { PIDBOX_EXCHANGE, fanoutChannel } from './control-envelope';
import { encodeEnvelope } from './envelope';
import { checkSize, describeTask, utf8SizeIfNear } from '../message-size';
import {
  PRIORITY_STEPS,
  PriorityBucket,
  RedisKeys,
  priorityBucket,
} from './keys';
import { LeaseKeeper } from './lease-keeper';
import { publishDelayedScript } from '../../drivers/redis/scripts';
import { RedisDeadLetterBox } from './dead-letter-box';
import { EnvelopePusher } from './push';
import { RedisConsumer } from './redis-consumer';
import { RedisSettler } from './redis-settler';
import {
  RedisTransportOptions,
  ResolvedRedisTransportOptions,
  resolveRedisTransportOptions,
} from './redis-transport-options';
import { describeRedis, parseRedisUrl } from '../../drivers/redis/redis-url';
import { RedisUnavailableError } from '../../drivers/redis/errors';
import { keepCommandsYoung } from '../../drivers/redis/young-commands';
import { Sweeper } from './sweeper';
import {
  closeConnection,
  dropConnection,
} from '../../drivers/redis/close-connection';
import {
  DeadlineWatch,
  ReadyGate,
  watchConnection,
  withDeadline,
} from './connection';

/**
 * The Redis transport (`redis://`, `rediss://`), in kombu's layout so Python Celery
 * workers and producers share its queues. See docs/redis.md for the keys, the lease
 * and visibility design, the delay store and dead letters.
 */
export class RedisTransport
  implements
    Transport,
    ControlBus,
    EventBus,
    DeadLetterAccess,
    QueueInspection,
    QueuePurge,
    ConnectionState,
    ConnectionCheck
{
  readonly kind = 'redis';
  readonly keys: RedisKeys;
  private readonly options: ResolvedRedisTransportOptions;
  private readonly client: Redis;
  private readonly settler: RedisSettler;
  private readonly deadLetters: RedisDeadLetterBox;
  private readonly leaseKeeper: LeaseKeeper;
  private readonly sweeper: Sweeper;
  private readonly consumers = new Set<RedisConsumer>();
  private readonly blockers = new Set<Redis>();
  private readonly bound = new Set<string>();
  private readonly pusher: EnvelopePusher;
  private readonly where: string;
  private readonly ready: ReadyGate;
  private readonly control: RedisControlChannel;
  private readonly events: RedisEventChannel;
  private readonly publishes: DeadlineWatch;
  private readonly reconnectListeners = new Set<() => void>();
  private closed = false;
  private readonly replicaAcks: number;

  constructor(
    connection: RedisOptions = {},
    options: RedisTransportOptions = {},
  ) {
    this.options = resolveRedisTransportOptions(options);
    this.keys = new RedisKeys(this.options.keyPrefix);
    this.where = describeRedis(connection);
    this.replicaAcks =
      this.options.replicaAcks >= 0
        ? this.options.replicaAcks
        : connection.sentinels
          ? 1
          : 0;
    keepCommandsYoung();
    this.client = new Redis({
      // Commands wait through an outage and are resent on reconnect; publish bounds the wait.
      maxRetriesPerRequest: null,
      retryStrategy: (attempt: number) => Math.min(50 * attempt, 1000),
      ...connection,
      connectionName: this.options.connectionName,
    });
    watchConnection(
      this.client,
      `redis transport (${this.where})`,
      this.where,
      this.options.logger,
      () => {
        void this.leaseKeeper.renewNow();
        for (const listener of this.reconnectListeners) listener();
      },
    );
    this.ready = new ReadyGate(this.client, this.where);
    this.pusher = new EnvelopePusher(this.client);
    this.publishes = new DeadlineWatch(this.options.publishWaitMs, this.where);
    this.settler = new RedisSettler(this.client, this.keys);
    this.deadLetters = new RedisDeadLetterBox(this.client, this.keys);
    this.leaseKeeper = new LeaseKeeper(
      () => this.settler.heldTags(),
      (tags) => this.settler.renew(tags, this.options.leaseMs),
      (tags) => this.onLeasesLost(tags),
      this.options.renewIntervalMs,
      this.options.logger,
    );
    this.sweeper = new Sweeper(
      this.client,
      this.keys,
      this.options.visibilityTimeout,
      this.options.sweepIntervalMs,
      this.options.logger,
    );
    this.control = new RedisControlChannel({
      client: this.client,
      ready: this.ready,
      channel: fanoutChannel(
        this.options.keyPrefix,
        this.client.options.db ?? 0,
        PIDBOX_EXCHANGE,
      ),
      keyPrefix: this.options.keyPrefix,
      createSubscriber: () =>
        this.client.duplicate({
          connectionName: `${this.options.connectionName}:control`,
        }),
      waitMs: this.options.publishWaitMs,
      where: this.where,
      logger: this.options.logger,
    });
    this.events = new RedisEventChannel({
      client: this.client,
      ready: this.ready,
      channel: fanoutChannel(
        this.options.keyPrefix,
        this.client.options.db ?? 0,
        EVENT_EXCHANGE,
      ),
      createSubscriber: () =>
        this.client.duplicate({
          connectionName: `${this.options.connectionName}:events`,
        }),
      waitMs: this.options.publishWaitMs,
      where: this.where,
      logger: this.options.logger,
    });
  }

  /** `redis://[[user]:password@]host[:port][/db]` or `rediss://...` (TLS, with `options.tls`). */
  static fromUrl(url: string, options?: RedisTransportOptions): RedisTransport {
    return new RedisTransport(
      parseRedisUrl(url, options?.sentinel, options?.tls),
      options,
    );
  }

  /**
   * Not async: on the usual path (connected, no delay, queue already bound, no replica
   * acks) the write's own promise is returned, without the microtask turns and the
   * promise an async function would add to every send.
   */
  publish(queue: string, message: TaskMessage): Promise<void> {
    let envelope: string;
    let eta: Date | null;
    try {
      if (this.closed)
        throw new Error(
          `redis transport is closed: cannot publish to "${queue}"`,
        );
      envelope = encodeEnvelope(queue, message);
      const limit = this.options.maxMessageSize;
      const size = utf8SizeIfNear(envelope, limit);
      if (size > limit)
        checkSize(
          () => `task ${describeTask(message)} to "${queue}"`,
          size,
          limit,
          'brokerOptions.maxMessageSize',
        );
      eta = message.headers?.eta ? parseCeleryIso(message.headers.eta) : null;
    } catch (error) {
      return Promise.reject(
        error instanceof Error ? error : new Error(String(error)),
      );
    }
    const bucket = priorityBucket(message.properties?.priority);
    if (
      this.client.status === 'ready' &&
      !eta &&
      this.replicaAcks === 0 &&
      this.bound.has(queue)
    ) {
      return this.publishes.run(
        this.push(queue, bucket, envelope, ''),
        `publish to "${queue}"`,
      );
    }
    return this.publishSlowly(queue, envelope, bucket, eta);
  }

  /** A publish that waits for the connection, delays, binds the queue or confirms replicas. */
  private async publishSlowly(
    queue: string,
    envelope: string,
    bucket: PriorityBucket,
    eta: Date | null,
  ): Promise<void> {
    const binding = this.bound.has(queue) ? '' : this.keys.bindingMember(queue);
    const what = `publish to "${queue}"`;
    // Connected (nearly always): no await, which would cost a turn of the microtask queue.
    if (this.client.status !== 'ready')
      await this.ready.wait(this.options.publishWaitMs, what);
    const write =
      eta && eta.getTime() > Date.now() && this.usesDelayStore(queue)
        ? publishDelayedScript.run(
            this.client,
            [
              this.keys.delayed(queue),
              this.keys.wake(queue),
              this.keys.binding(queue),
            ],
            [eta.getTime(), `${bucket}${envelope}`, binding],
          )
        : this.push(queue, bucket, envelope, binding);
    await this.publishes.run(write, what);
    if (binding) this.bound.add(queue);
    if (this.replicaAcks > 0) await this.confirmReplicas(what);
  }

  /** Redis WAIT: the writes of this connection so far are on `replicaAcks` replicas. */
  private async confirmReplicas(what: string): Promise<void> {
    const acked = await this.client.wait(
      this.replicaAcks,
      this.options.publishWaitMs,
    );
    if (acked < this.replicaAcks)
      throw new RedisUnavailableError(
        `${what}: written to the master ${this.where} but confirmed by ${acked} of the ` +
          `${this.replicaAcks} replica(s) of replicaAcks within ${this.options.publishWaitMs} ms; ` +
          `a failover now could lose it (it may still run)`,
      );
  }

  /** With kombu's binding member on a process's first publish to the queue. */
  private push(
    queue: string,
    bucket: PriorityBucket,
    envelope: string,
    binding: string,
  ): Promise<void> {
    const bound = binding
      ? this.client.sadd(this.keys.binding(queue), binding)
      : undefined;
    const pushed = this.pusher.push(
      this.keys.list(queue, bucket),
      this.keys.wake(queue),
      envelope,
    );
    // The join is on a queue's first publish only: the usual send gets the push's own promise.
    return bound ? Promise.all([bound, pushed]).then(() => undefined) : pushed;
  }

  async consume(
    queues: readonly string[],
    onDelivery: (delivery: Delivery) => void,
    options: ConsumeOptions,
  ): Promise<Consumer> {
    if (this.closed)
      throw new Error('redis transport is closed: cannot consume');
    if (queues.length === 0)
      throw new Error('redis transport: consume() needs at least one queue');
    const consumer = new RedisConsumer(
      {
        client: this.client,
        keys: this.keys,
        options: this.options,
        settler: this.settler,
        createBlocker: () => this.createBlocker(),
        usesDelayStore: (queue) => this.usesDelayStore(queue),
      },
      [...new Set(queues)],
      onDelivery,
      Math.max(1, Math.floor(options.prefetch)),
    );
    this.consumers.add(consumer);
    this.leaseKeeper.start();
    this.sweeper.start();
    consumer.start();
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        if (this.consumers.size === 0) this.sweeper.stop();
        await consumer.stop();
      },
    };
  }

  /**
   * Stops the consumers, flushes pending acks, gives every unsettled delivery back
   * to the front of its queue (as kombu does at shutdown; if Redis is unreachable
   * they come back after the lease), and closes the connections.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The consumers stop in this same turn (before any callback runs). Bounded: a fetch
    // in flight when Redis went away waits for it, and close() never waits on an outage.
    const stopMs = Math.min(this.options.publishWaitMs, 5000);
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      Promise.all([
        ...[...this.consumers].map((consumer) => consumer.stop()),
        this.control.close(),
        this.events.close(),
      ]).then(() => true),
      new Promise<false>(
        (resolve) => (timer = setTimeout(resolve, stopMs, false)),
      ),
    ]);
    clearTimeout(timer);
    if (!stopped) {
      this.options.logger.warn(
        `redis transport: a fetch got no reply from Redis at ${this.where} within ${stopMs} ms; closing anyway (what it took comes back after its lease)`,
      );
    }
    this.consumers.clear();
    this.sweeper.stop();
    this.leaseKeeper.stop();
    try {
      await withDeadline(
        this.settler.close(),
        Math.min(this.options.publishWaitMs, 5000),
        'give back unsettled deliveries',
        this.where,
      );
    } catch (error) {
      this.options.logger.warn(
        `redis transport: ${String(error)}; they come back when their lease runs out`,
      );
    }
    await Promise.all([...this.blockers].map((each) => dropConnection(each)));
    this.blockers.clear();
    await closeConnection(this.client);
  }

  /** ConnectionCheck: resolves once Redis took the connection (`failFast` at boot). */
  async checkConnection(waitMs: number): Promise<void> {
    await this.ready.wait(waitMs, 'connect', 'failFast stops the boot');
  }

  /** True while the connection it publishes and settles on is ready. */
  get connected(): boolean {
    return !this.closed && this.client.status === 'ready';
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** kombu's four priority lists and the delay store, in one round trip. */
  async queueDepth(queue: string): Promise<QueueDepth> {
    const pipeline = this.client.pipeline();
    for (const key of this.keys.lists(queue)) pipeline.llen(key);
    pipeline.zcard(this.keys.delayed(queue));
    const replies =
      (await withDeadline(
        pipeline.exec(),
        this.options.publishWaitMs,
        `depth of "${queue}"`,
        this.where,
      )) ?? [];
    const counts = replies.map(([error, count]) => {
      if (error) throw error;
      return Number(count);
    });
    const byPriority: Record<number, number> = {};
    PRIORITY_STEPS.forEach((bucket, i) => (byPriority[bucket] = counts[i]));
    const ready = counts
      .slice(0, PRIORITY_STEPS.length)
      .reduce((sum, n) => sum + n, 0);
    return {
      queue,
      ready,
      byPriority,
      delayed: counts[PRIORITY_STEPS.length],
    };
  }

  /**
   * QueuePurge: empties the queue's four lists and its delay store in one MULTI
   * (each LLEN / ZCARD read just before its DEL), resolving with how many went.
   */
  async purgeQueue(queue: string): Promise<number> {
    const transaction = this.client.multi();
    for (const key of this.keys.lists(queue)) transaction.llen(key).del(key);
    const delayed = this.keys.delayed(queue);
    transaction.zcard(delayed).del(delayed);
    const replies =
      (await withDeadline(
        transaction.exec(),
        this.options.publishWaitMs,
        `purge of "${queue}"`,
        this.where,
      )) ?? [];
    let purged = 0;
    replies.forEach(([error, reply], i) => {
      if (error) throw error;
      if (i % 2 === 0) purged += Number(reply);
    });
    return purged;
  }

  /** Messages waiting in the queue's lists (not the delay store). */
  async size(queue: string): Promise<number> {
    const lengths = await Promise.all(
      this.keys.lists(queue).map((key) => this.client.llen(key)),
    );
    return lengths.reduce((sum, length) => sum + length, 0);
  }

  /**
   * Celery's events: `PUBLISH <keyPrefix>/<db>.celeryev/<routing key>`, one pipeline.
   * Not async, so that no frame holds the event objects while Redis answers.
   */
  publishEvents(
    messages: readonly EventMessage[],
    hostname: string,
  ): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.events.publish(messages, hostname);
  }

  openEventList(): EventList {
    return this.events.openList();
  }

  publishEventLists(
    lists: readonly EventList[],
    hostname: string,
  ): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.events.publishLists(lists, hostname);
  }

  /** Hears Celery's events (Python's and Celeriac's) on a connection of its own. */
  async subscribeEvents(
    handler: (delivery: EventDelivery) => void,
  ): Promise<EventSubscription> {
    if (this.closed)
      throw new Error('redis transport is closed: cannot subscribe');
    return this.events.subscribe(handler);
  }

  /** Celery's pidbox broadcast: `PUBLISH <keyPrefix>/<db>.celery.pidbox <kombu envelope>`. */
  async broadcastControl(message: ControlMessage): Promise<void> {
    if (this.closed)
      throw new Error('redis transport is closed: cannot broadcast');
    await this.control.broadcast(message);
  }

  /** Hears the pidbox broadcasts (Celeriac's and Python's) on a connection of its own. */
  async subscribeControl(
    handler: (message: ControlMessage) => void,
  ): Promise<ControlSubscription> {
    if (this.closed)
      throw new Error('redis transport is closed: cannot subscribe');
    return this.control.subscribe(handler);
  }

  /** To the list kombu's reply binding names (`_kombu.binding.reply.celery.pidbox`). */
  async replyControl(
    replyTo: ControlReplyTo,
    ticket: string | undefined,
    reply: ControlReply,
  ): Promise<void> {
    if (this.closed) return;
    await this.control.reply(replyTo, ticket, reply);
  }

  /** Broadcasts and gathers replies on a reply list of its own. */
  async callControl(
    message: ControlMessage,
    options: CallControlOptions,
  ): Promise<ControlReply[]> {
    if (this.closed)
      throw new Error('redis transport is closed: cannot call workers');
    return this.control.call(message, options);
  }

  /** DeadLetterAccess: the queue's dead letters (`_celeriac.dead.<queue>`), oldest first. */
  listDeadLetters(queue: string, limit = 100): Promise<DeadLetter[]> {
    return this.deadLetters.list(queue, limit);
  }

  /** DeadLetterAccess: back onto the queue's lists, by each envelope's priority. */
  replayDeadLetters(
    queue: string,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<number> {
    return this.deadLetters.replay(queue, limit);
  }

  /** DeadLetterAccess: deletes the oldest `limit` dead letters. */
  dropDeadLetters(
    queue: string,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<number> {
    return this.deadLetters.drop(queue, limit);
  }

  /** DeadLetterAccess: how many dead letters the queue has. */
  countDeadLetters(queue: string): Promise<number> {
    return this.deadLetters.count(queue);
  }

  private usesDelayStore(queue: string): boolean {
    const { delayStore } = this.options;
    return typeof delayStore === 'function' ? delayStore(queue) : delayStore;
  }

  private createBlocker(): Redis {
    const blocker = this.client.duplicate({
      connectionName: `${this.options.connectionName}:wait`,
    });
    watchConnection(
      blocker,
      `redis transport wait (${this.where})`,
      this.where,
      this.options.logger,
    );
    this.blockers.add(blocker);
    blocker.once('end', () => this.blockers.delete(blocker));
    return blocker;
  }

  private onLeasesLost(tags: string[]): void {
    const lost = new Map(
      this.settler.lost(tags).map((delivery) => [delivery.tag, delivery]),
    );
    for (const tag of tags) {
      const id = lost.get(tag)?.message?.headers?.id ?? 'unknown';
      this.options.logger.warn(
        `redis transport: the lease of a delivery (task ${id}) ran out before renewal; it was restored and may run twice`,
      );
    }
  }
}
