import { Inject, Injectable } from '@nestjs/common';
import { TRANSPORT } from '../options/tokens';
import {
  QueueDepth,
  Transport,
  hasQueueInspection,
  hasQueuePurge,
} from '../transports/transport';
import { QueueAdminNotSupportedError } from './errors';
import {
  FleetCallOptions,
  FleetControl,
  NodeReplies,
} from './fleet-control.service';

/** A queue the fleet consumes, and the nodes consuming it (from `inspect active_queues`). */
export interface ConsumedQueue {
  queue: string;
  nodes: string[];
}

/** A node's answer to a pause or a resume: `{ok: ...}` or `{error: ...}`. */
export type ConsumerReply = { ok?: unknown; error?: unknown };

/**
 * Queue administration for a CLI or a dashboard: what waits in each queue, who consumes
 * it, emptying it, and pausing it across the whole fleet. Pause and resume are Celery's
 * own `cancel_consumer` / `add_consumer` broadcasts, so Python workers obey them too.
 *
 * ```ts
 * const [depth] = await admin.depths(['celery']); // { queue, ready, byPriority?, consumers? }
 * await admin.pause('videos');                   // every worker stops consuming it
 * await admin.resume('videos');
 * ```
 */
@Injectable()
export class QueueAdmin {
  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    private readonly fleet: FleetControl,
  ) {}

  /** What waits in each queue, as the broker counts it (QueueInspection). */
  async depths(queues: readonly string[]): Promise<QueueDepth[]> {
    const transport = this.transport;
    if (!hasQueueInspection(transport)) {
      throw new QueueAdminNotSupportedError(transport.kind, 'count a queue');
    }
    return Promise.all(queues.map((queue) => transport.queueDepth(queue)));
  }

  /** Removes what waits in `queue` (not what workers hold); resolves with how many. */
  async purge(queue: string): Promise<number> {
    if (!hasQueuePurge(this.transport)) {
      throw new QueueAdminNotSupportedError(
        this.transport.kind,
        'purge a queue',
      );
    }
    return this.transport.purgeQueue(queue);
  }

  /** The queues the workers that answer within the timeout consume, with their nodes. */
  async consumedQueues(
    options: FleetCallOptions = {},
  ): Promise<ConsumedQueue[]> {
    const replies = await this.fleet.inspect('active_queues', {}, options);
    const nodesOf = new Map<string, string[]>();
    for (const [node, queues] of Object.entries(replies)) {
      for (const { name } of Array.isArray(queues) ? queues : []) {
        nodesOf.set(name, [...(nodesOf.get(name) ?? []), node]);
      }
    }
    return [...nodesOf]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([queue, nodes]) => ({ queue, nodes: nodes.sort() }));
  }

  /**
   * Every worker (or `destination`) stops consuming `queue`: Celery's `cancel_consumer`.
   * Replies by node. A worker that starts later consumes it again if configured to.
   */
  pause(
    queue: string,
    options: FleetCallOptions = {},
  ): Promise<NodeReplies<ConsumerReply>> {
    return this.fleet.broadcast<ConsumerReply>(
      'cancel_consumer',
      { queue },
      options,
    );
  }

  /**
   * Every worker (or `destination`) consumes `queue` (again): Celery's `add_consumer`.
   * Replies by node; a worker that already consumes it says so.
   */
  resume(
    queue: string,
    options: FleetCallOptions = {},
  ): Promise<NodeReplies<ConsumerReply>> {
    return this.fleet.broadcast<ConsumerReply>(
      'add_consumer',
      { queue },
      options,
    );
  }
}
