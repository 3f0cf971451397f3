import type { Options } from 'amqplib';

/**
 * A consumer channel that can carry a task's reply: publishing there puts the reply
 * ahead of the delivery's ack on the same channel, which RabbitMQ processes in order.
 */
export interface ReplyLane {
  /** Writes the reply; false when the channel is unusable (nothing was written). */
  publishReply(
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
  ): boolean;
}

interface Held {
  lane: ReplyLane;
  /** The delivery holding it: a redelivery of the same task id replaces it. */
  holder: object;
}

/**
 * The consumer channels of one connection holding unsettled deliveries, by task id.
 * The rpc:// backend, sharing the connection, publishes a task's reply on the channel
 * that will ack it (see docs/rabbitmq.md, "Replies and acks").
 */
export class ReplyLanes {
  private readonly held = new Map<string, Held>();

  hold(taskId: string, holder: object, lane: ReplyLane): void {
    this.held.set(taskId, { lane, holder });
  }

  /** The delivery settled: its channel no longer carries the task's replies. */
  release(taskId: string, holder: object): void {
    if (this.held.get(taskId)?.holder === holder) this.held.delete(taskId);
  }

  /** Forgets every task held on `lane` (its channel or consumer is gone). */
  drop(lane: ReplyLane): void {
    for (const [taskId, entry] of this.held) {
      if (entry.lane === lane) this.held.delete(taskId);
    }
  }

  laneOf(taskId: string): ReplyLane | undefined {
    return this.held.get(taskId)?.lane;
  }

  get size(): number {
    return this.held.size;
  }
}
