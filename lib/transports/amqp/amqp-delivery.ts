import type { Message } from 'amqplib';
import { TaskMessage } from '../../protocol';
import { Delivery } from '../transport';
import { decodeMessage } from './message-codec';

/** What a delivery needs from its consumer to settle. */
export interface DeliveryOwner {
  /** Acks or requeues on the delivering channel (a no-op that logs if that channel died). */
  settle(delivery: AmqpDelivery, requeue: boolean): void;
  /** Publishes the message, confirmed, to `<queue>.dead` with the reason. */
  deadLetter(delivery: AmqpDelivery, reason: string): Promise<void>;
  /** Publishes the message, confirmed, into the delay levels until `until`. */
  defer(delivery: AmqpDelivery, until: Date): Promise<void>;
}

/** One message from RabbitMQ; settled once, whichever method comes first. */
export class AmqpDelivery implements Delivery {
  /** Undefined once settled, as on Redis (see RedisDelivery.markSettled). */
  message: TaskMessage | undefined;
  readonly decodeError: Error | undefined;
  readonly redelivered: boolean;
  /** The task id (v2 header `id`, else correlation_id): where its rpc:// reply goes. */
  readonly taskId: string | undefined;
  private claimed = false;

  constructor(
    readonly queue: string,
    readonly amqp: Message,
    /** The consumer channel it came on: settling needs that very channel. */
    readonly channelNumber: number,
    private readonly owner: DeliveryOwner,
  ) {
    const decoded = decodeMessage(amqp);
    this.message = decoded.message;
    this.decodeError = decoded.decodeError;
    this.redelivered = amqp.fields.redelivered;
    this.taskId = taskIdOf(decoded.message);
  }

  async ack(): Promise<void> {
    if (this.claim()) this.settleOnChannel(false);
  }

  async requeue(): Promise<void> {
    if (this.claim()) this.settleOnChannel(true);
  }

  async deadLetter(reason: string): Promise<void> {
    await this.forwardThenAck(() => this.owner.deadLetter(this, reason));
  }

  async defer(until: Date): Promise<void> {
    await this.forwardThenAck(() => this.owner.defer(this, until));
  }

  /** Acks only once the copy is confirmed; if publishing fails it stays unsettled. */
  private async forwardThenAck(forward: () => Promise<void>): Promise<void> {
    if (!this.claim()) return;
    try {
      await forward();
    } catch (error) {
      this.claimed = false;
      throw error;
    }
    this.settleOnChannel(false);
  }

  private settleOnChannel(requeue: boolean): void {
    this.owner.settle(this, requeue);
    this.message = undefined;
  }

  private claim(): boolean {
    if (this.claimed) return false;
    this.claimed = true;
    return true;
  }
}

function taskIdOf(message: TaskMessage | undefined): string | undefined {
  const id = message?.headers.id;
  if (typeof id === 'string') return id;
  return message?.properties.correlation_id || undefined;
}
