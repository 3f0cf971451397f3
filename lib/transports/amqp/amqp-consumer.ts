import type { ConfirmChannel, Message } from 'amqplib';
import { Delivery } from '../transport';
import { AmqpConnection } from '../../drivers/amqp/amqp-connection';
import { AmqpDeclarer } from './amqp-declarer';
import { AmqpDelivery, DeliveryOwner } from './amqp-delivery';
import { AmqpLogger } from '../../drivers/amqp/connection-options';
import { backoffDelay } from '../../drivers/amqp/backoff';
import { ConsumerLane } from './consumer-lane';
import { closeChannel } from '../../drivers/amqp/safe-close';

/** basic.qos prefetch_count is a 16-bit field. */
const MAX_PREFETCH = 65_535;

export interface ConsumerDeps {
  connection: AmqpConnection;
  declarer: AmqpDeclarer;
  logger: AmqpLogger;
  globalQos: boolean;
  /** Quorum queues refuse global QoS: consuming one turns it off. */
  isQuorum: (queue: string) => boolean;
  /** Dead-letters and defers deliveries (publishing with confirm). */
  forward: Pick<DeliveryOwner, 'deadLetter' | 'defer'>;
}

/**
 * Consumes several queues on one channel: one `basic.consume` per queue, each limited to
 * `prefetch` unacked messages (per-consumer QoS). Deliveries are handed out round-robin
 * across queues and never more than `prefetch` unsettled at once; the rest wait here,
 * unacked, so RabbitMQ keeps them reserved (at most `prefetch` per queue) and takes them
 * back if this process dies. Channel-wide (global) QoS would bound that reservation, but
 * RabbitMQ then refills the queue that was just acked first, so one busy queue starves
 * the others (Celery's behaviour); it is an option (`globalQos`), not the default.
 *
 * When the channel or connection dies, the broker takes back every unacked message
 * (redelivered=true) and the consumer opens a new channel, declares its queues again and
 * resumes. Deliveries of the dead channel still count until the worker settles them, and
 * settling them is a logged no-op: the broker redelivers them anyway.
 */
export class AmqpConsumer implements DeliveryOwner {
  private channel: ConfirmChannel | undefined;
  /** Carries rpc:// replies ahead of the acks on `channel`. */
  private lane: ConsumerLane | undefined;
  private channelNumber = 0;
  private readonly buffers: Message[][];
  private cursor = 0;
  private outstanding = 0;
  private dispatching = false;
  private started = false;
  private stopped = false;
  private closed = false;
  private reopening = false;
  /** False while subscribing: dispatching then would favour the first queue. */
  private subscribed = false;
  private readonly prefetch: number;
  private readonly consumerTags: string[] = [];

  constructor(
    private readonly deps: ConsumerDeps,
    private readonly queues: readonly string[],
    private readonly onDelivery: (delivery: Delivery) => void,
    prefetch: number,
  ) {
    this.prefetch = Math.min(MAX_PREFETCH, Math.max(1, Math.floor(prefetch)));
    this.buffers = queues.map(() => []);
  }

  /** Declares the queues and starts consuming; rejects if that fails before `deadline`. */
  async start(deadline: number): Promise<void> {
    await this.open(deadline);
    this.started = true;
  }

  /** Stops fetching; what was fetched but not handed out goes back to the queue. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const channel = this.channel;
    if (!channel) return;
    try {
      // Cancelling every consumer tag happens implicitly when the channel closes; here
      // the channel stays open so deliveries already handed out can still be acked.
      for (const tag of this.consumerTags.splice(0)) await channel.cancel(tag);
    } catch (error) {
      this.deps.logger.debug(
        `cancel failed (channel gone): ${(error as Error).message}`,
      );
    }
    this.giveBackBuffered(channel);
    this.closeIfDrained();
  }

  /** The transport closes: leave everything to the broker (the connection goes too). */
  abandon(): void {
    this.closed = true;
    this.stopped = true;
    this.channel = undefined;
    this.dropLane();
    for (const buffer of this.buffers) buffer.length = 0;
  }

  settle(delivery: AmqpDelivery, requeue: boolean): void {
    this.outstanding--;
    if (delivery.taskId !== undefined)
      this.deps.connection.replyLanes.release(delivery.taskId, delivery);
    const channel = this.channel;
    if (!channel || delivery.channelNumber !== this.channelNumber) {
      const text =
        `cannot ${requeue ? 'requeue' : 'ack'} a message from ${delivery.queue}: its channel ` +
        'is gone, so RabbitMQ gives it back to the queue (redelivered) by itself';
      if (this.closed) this.deps.logger.debug(text);
      else this.deps.logger.warn(text);
    } else {
      try {
        if (requeue) channel.nack(delivery.amqp, false, true);
        else channel.ack(delivery.amqp);
      } catch (error) {
        this.deps.logger.warn(
          `settling failed (channel closing): ${(error as Error).message}`,
        );
      }
    }
    if (this.stopped) this.closeIfDrained();
    else this.dispatch();
  }

  deadLetter(delivery: AmqpDelivery, reason: string): Promise<void> {
    return this.deps.forward.deadLetter(delivery, reason);
  }

  defer(delivery: AmqpDelivery, until: Date): Promise<void> {
    return this.deps.forward.defer(delivery, until);
  }

  private async open(deadline: number): Promise<void> {
    const { connection, declarer, globalQos } = this.deps;
    const live = await connection.get(deadline);
    for (const queue of this.queues)
      await declarer.celeryQueue(queue, deadline);
    // A confirm channel: rpc:// replies travel here, ahead of their tasks' acks.
    const channel = await live.model.createConfirmChannel();
    const number = ++this.channelNumber;
    this.dropLane();
    this.channel = channel;
    this.lane = new ConsumerLane(channel, this.deps.logger);
    this.consumerTags.length = 0;
    this.subscribed = false;
    channel.on('error', (error: Error) =>
      this.deps.logger.warn(
        `consumer channel closed by the broker: ${error.message}`,
      ),
    );
    channel.on('close', () => this.onChannelClosed(channel));
    try {
      await channel.prefetch(this.prefetch, false);
      // As Celery 5.5's worker_detect_quorum_queues: global QoS off with a quorum queue.
      if (
        globalQos &&
        !this.queues.some((queue) => this.deps.isQuorum(queue))
      ) {
        await channel.prefetch(
          Math.min(MAX_PREFETCH, this.prefetch + this.queues.length - 1),
          true,
        );
      }
      for (let index = 0; index < this.queues.length; index++) {
        await this.subscribe(channel, number, index);
      }
      this.subscribed = true;
      this.dispatch();
    } catch (error) {
      if (this.channel === channel) {
        this.channel = undefined;
        this.dropLane();
      }
      await closeChannel(channel);
      throw error;
    }
  }

  private async subscribe(
    channel: ConfirmChannel,
    number: number,
    index: number,
  ): Promise<void> {
    const queue = this.queues[index];
    const { consumerTag } = await channel.consume(
      queue,
      (message) => this.onMessage(channel, number, index, message),
      { noAck: false },
    );
    this.consumerTags.push(consumerTag);
  }

  private onMessage(
    channel: ConfirmChannel,
    number: number,
    index: number,
    message: Message | null,
  ) {
    if (number !== this.channelNumber) return;
    if (message === null) {
      void this.resubscribe(channel, number, index);
      return;
    }
    if (this.stopped) {
      channel.nack(message, false, true);
      return;
    }
    this.buffers[index].push(message);
    this.dispatch();
  }

  /** RabbitMQ cancelled a consumer (its queue was deleted): declare it again and go on. */
  private async resubscribe(
    channel: ConfirmChannel,
    number: number,
    index: number,
  ): Promise<void> {
    const queue = this.queues[index];
    if (this.stopped) return;
    this.deps.logger.warn(
      `RabbitMQ cancelled the consumer of ${queue} (queue deleted?); declaring it again`,
    );
    try {
      this.deps.declarer.forget(queue);
      await this.deps.declarer.celeryQueue(queue, Date.now() + 10_000);
      if (number === this.channelNumber && !this.stopped)
        await this.subscribe(channel, number, index);
    } catch (error) {
      this.deps.logger.error(
        `cannot consume ${queue} again: ${(error as Error).message}`,
      );
      await closeChannel(channel); // reopen everything, with backoff
    }
  }

  private dispatch(): void {
    if (this.dispatching || !this.subscribed) return;
    this.dispatching = true;
    try {
      while (!this.stopped && this.outstanding < this.prefetch) {
        const index = this.nextQueueWithMessages();
        if (index < 0) break;
        const message = this.buffers[index].shift()!;
        this.outstanding++;
        const delivery = new AmqpDelivery(
          this.queues[index],
          message,
          this.channelNumber,
          this,
        );
        if (delivery.taskId !== undefined && this.lane)
          this.deps.connection.replyLanes.hold(
            delivery.taskId,
            delivery,
            this.lane,
          );
        try {
          this.onDelivery(delivery);
        } catch (error) {
          this.deps.logger.error(
            `delivery handler threw: ${(error as Error).message}`,
          );
        }
      }
    } finally {
      this.dispatching = false;
    }
  }

  private nextQueueWithMessages(): number {
    const count = this.buffers.length;
    for (let step = 0; step < count; step++) {
      const index = (this.cursor + step) % count;
      if (this.buffers[index].length > 0) {
        this.cursor = index + 1;
        return index;
      }
    }
    return -1;
  }

  private giveBackBuffered(channel: ConfirmChannel): void {
    for (const buffer of this.buffers) {
      for (const message of buffer.splice(0)) {
        try {
          channel.nack(message, false, true);
        } catch {
          return; // channel gone: the broker has them back already
        }
      }
    }
  }

  private closeIfDrained(): void {
    if (this.outstanding > 0 || !this.channel) return;
    const channel = this.channel;
    this.channel = undefined;
    this.dropLane();
    void closeChannel(channel);
  }

  private onChannelClosed(channel: ConfirmChannel): void {
    if (channel !== this.channel) return;
    this.channel = undefined;
    this.dropLane();
    this.channelNumber++; // deliveries of the closed channel can no longer be settled
    for (const buffer of this.buffers) buffer.length = 0;
    if (!this.started || this.stopped || this.closed) return;
    this.deps.logger.warn(
      `consumer of ${this.queues.join(', ')} lost its channel; resuming`,
    );
    void this.reopen();
  }

  /** The channel is gone or going: replies go through the confirm publisher. */
  private dropLane(): void {
    const lane = this.lane;
    if (!lane) return;
    this.lane = undefined;
    lane.close();
    this.deps.connection.replyLanes.drop(lane);
  }

  private async reopen(): Promise<void> {
    if (this.reopening) return;
    this.reopening = true;
    try {
      for (let attempt = 0; !this.stopped && !this.closed; attempt++) {
        try {
          await this.open(Number.POSITIVE_INFINITY);
          const opened = this.channel;
          if ((this.stopped || this.closed) && opened)
            await closeChannel(opened);
          return;
        } catch (error) {
          if (this.deps.connection.isClosed) return;
          const delay = backoffDelay(attempt, 100, 5000);
          this.deps.logger.warn(
            `cannot resume consuming ${this.queues.join(', ')}: ${(error as Error).message}; retrying in ${delay} ms`,
          );
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    } finally {
      this.reopening = false;
    }
  }
}
