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
  reply_to?: { exchange: string; routing_key: string };
}

export interface ControlSubscription {
  close(): Promise<void>;
}

/**
 * Broadcasts control messages to every worker (revoke now; ping, rate_limit... later).
 * A broker implements it on its transport class; the module uses it when the transport
 * has these two methods (see `isControlBus`).
 *
 * - memory: every transport on the same MemoryBroker hears it.
 * - Redis: kombu's fanout, `PUBLISH <keyPrefix>/{db}.celery.pidbox <kombu envelope>`
 *   (body = the message as JSON, base64, headers `{clock, expires}`), heard with
 *   SUBSCRIBE on a dedicated connection, resubscribed after a reconnect
 *   (RedisControlChannel, docs/redis.md "Remote control").
 * - AMQP: the `celery.pidbox` fanout exchange (non-durable); each worker binds its own
 *   exclusive, auto-delete queue `<node>.celery.pidbox` (`x-message-ttl` 300000).
 *
 * Nothing is stored: a message sent while nobody listens is lost (revokes are also kept
 * in a RevocationStore for that).
 */
export interface ControlBus {
  /** Resolves once the broker took the message (to every current subscriber). */
  broadcastControl(message: ControlMessage): Promise<void>;
  /** Calls `handler` with every message broadcast after this resolves. */
  subscribeControl(
    handler: (message: ControlMessage) => void,
  ): Promise<ControlSubscription>;
}

export function isControlBus(value: unknown): value is ControlBus {
  const candidate = value as Partial<ControlBus> | null;
  return (
    typeof candidate?.broadcastControl === 'function' &&
    typeof candidate.subscribeControl === 'function'
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
