/**
 * Celery's remote control ("pidbox") messages, as `app.control.broadcast` sends them:
 * `{"method": "revoke", "arguments": {"task_id": ..., "terminate": ..., "signal": ...},
 * "destination": null, "pattern": null, "matcher": null}` (+ `ticket`, `reply_to` when
 * a reply is wanted). See docs/wire-format.md, "Remote control".
 */
export interface ControlMessage {
  method: string;
  arguments: Record<string, unknown>;
  /** Worker node names it is meant for; null for every worker. */
  destination: string[] | null;
  pattern: string | null;
  matcher: string | null;
  ticket?: string;
  reply_to?: ControlReplyTo;
}

/** A `subscribeControl` in force: close it to stop hearing control messages. */
export interface ControlSubscription {
  close(): Promise<void>;
}

/** Where a command's reply goes: kombu's `reply_to` (the `reply.celery.pidbox` exchange). */
export interface ControlReplyTo {
  exchange: string;
  routing_key: string;
}

/** One node's answer as kombu sends it: `{<node name>: <reply>}`. */
export type ControlReply = Record<string, unknown>;

/** Options of `ControlBus.subscribeControl`. */
export interface SubscribeControlOptions {
  /**
   * The node name of the subscriber (`celeriac@host`). AMQP names the node's queue
   * after it (`<node>.celery.pidbox`, exclusive: a second subscriber with the same name
   * is refused with `NodeNameInUseError`); Redis and memory do not need it.
   */
  node?: string;
}

/** Options of `ControlBus.callControl`: how long to collect replies, and how many. */
export interface CallControlOptions {
  /** How long to collect replies (ms). */
  timeoutMs: number;
  /** Stop as soon as this many replies came (kombu's `limit`); default: wait the timeout. */
  limit?: number;
}

/**
 * Broadcasts control messages to every worker and carries their replies: Celery's
 * remote control ("pidbox"), so `celery inspect` / `celery control` reach Celeriac
 * workers and Celeriac's `FleetControl` reaches Python ones. A broker implements it on
 * its transport class; the module uses it when the transport has these methods (see
 * `isControlBus`).
 *
 * - memory: every transport on the same MemoryBroker hears it.
 * - Redis: kombu's fanout, `PUBLISH <keyPrefix>/{db}.celery.pidbox <kombu envelope>`
 *   (body = the message as JSON, base64, headers `{clock, expires}`), heard with
 *   SUBSCRIBE on a dedicated connection, resubscribed after a reconnect
 *   (RedisControlChannel, docs/redis.md "Remote control"). Replies go through kombu's
 *   direct exchange emulation: the members of `_kombu.binding.reply.celery.pidbox`
 *   whose routing key matches name the list to LPUSH the reply envelope on.
 * - AMQP: the `celery.pidbox` fanout exchange (non-durable); each worker binds its own
 *   exclusive, auto-delete queue `<node>.celery.pidbox` (`x-message-ttl` 300000).
 *   Replies go to the `reply.celery.pidbox` direct exchange.
 *
 * Nothing is stored: a message sent while nobody listens is lost (revokes are also kept
 * in a RevocationStore for that).
 */
export interface ControlBus {
  /** Resolves once the broker took the message (to every current subscriber). */
  broadcastControl(message: ControlMessage): Promise<void>;
  /**
   * Calls `handler` with every message broadcast after this resolves. Rejects with
   * `NodeNameInUseError` when the broker knows another live subscriber of that `node`.
   */
  subscribeControl(
    handler: (message: ControlMessage) => void,
    options?: SubscribeControlOptions,
  ): Promise<ControlSubscription>;
  /**
   * Sends `reply` (`{node: answer}`) where a command asked (`reply_to`) with its
   * `ticket` header, as kombu's `Node.reply`. A reply nobody waits for any more is dropped.
   */
  replyControl(
    replyTo: ControlReplyTo,
    ticket: string | undefined,
    reply: ControlReply,
  ): Promise<void>;
  /**
   * Broadcasts `message` with a fresh ticket and a reply queue of its own, and resolves
   * with the replies that came within `timeoutMs` (or once `limit` came), in arrival
   * order: kombu's `Mailbox._broadcast(reply=True)`.
   */
  callControl(
    message: ControlMessage,
    options: CallControlOptions,
  ): Promise<ControlReply[]>;
}

export function isControlBus(value: unknown): value is ControlBus {
  const candidate = value as Partial<ControlBus> | null;
  return (
    typeof candidate?.broadcastControl === 'function' &&
    typeof candidate.subscribeControl === 'function' &&
    typeof candidate.replyControl === 'function' &&
    typeof candidate.callControl === 'function'
  );
}

/** Celery's revoke command for these ids. */
export function revokeMessage(
  taskIds: readonly string[],
  terminate: boolean,
  signal = 'SIGTERM',
): ControlMessage {
  return {
    method: 'revoke',
    arguments: {
      task_id: taskIds.length === 1 ? taskIds[0] : [...taskIds],
      terminate,
      signal,
    },
    destination: null,
    pattern: null,
    matcher: null,
  };
}

/** The ids and flag of a revoke command (Celery sends one id or a list); null otherwise. */
export function readRevoke(
  message: ControlMessage,
): { taskIds: string[]; terminate: boolean } | null {
  if (
    message?.method !== 'revoke' ||
    message.arguments === null ||
    typeof message.arguments !== 'object'
  ) {
    return null;
  }
  const raw = message.arguments.task_id;
  const taskIds = (Array.isArray(raw) ? raw : [raw]).filter(
    (id): id is string => typeof id === 'string' && id !== '',
  );
  if (taskIds.length === 0) return null;
  return { taskIds, terminate: message.arguments.terminate === true };
}
