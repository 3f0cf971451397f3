import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Channel, Options } from 'amqplib';
import { ControlMessage } from '../control-bus';

/** Celery's control exchange (kombu Mailbox `celery`, type fanout, not durable). */
export const PIDBOX_EXCHANGE = 'celery.pidbox';

/** Celery's `control_queue_ttl` (300 s) and `control_queue_expires` (10 s). */
const QUEUE_TTL_MS = 300_000;
const QUEUE_EXPIRES_MS = 10_000;

/** kombu's `{hostname}.{namespace}.pidbox` for a Celeriac worker's node name. */
export function pidboxQueueName(node: string): string {
  return `${node}.celery.pidbox`;
}

/** A node name of this process, unique per subscription: `celeriac.<pid>.<id>@<host>`. */
export function celeriacNodeName(): string {
  return `celeriac.${process.pid}.${randomUUID().slice(0, 8)}@${hostname()}`;
}

export async function declarePidboxExchange(channel: Channel): Promise<void> {
  await channel.assertExchange(PIDBOX_EXCHANGE, 'fanout', {
    durable: false,
    autoDelete: false,
  });
}

/**
 * The node's queue as kombu declares it (non-durable, auto-delete, x-expires 10 s,
 * x-message-ttl 300 s), exclusive to this connection as well, bound to the exchange.
 */
export async function declarePidboxQueue(
  channel: Channel,
  node: string,
): Promise<string> {
  const queue = pidboxQueueName(node);
  await declarePidboxExchange(channel);
  await channel.assertQueue(queue, {
    durable: false,
    autoDelete: true,
    exclusive: true,
    arguments: {
      'x-expires': QUEUE_EXPIRES_MS,
      'x-message-ttl': QUEUE_TTL_MS,
    },
  });
  await channel.bindQueue(queue, PIDBOX_EXCHANGE, '');
  return queue;
}

/** A control message as kombu's Mailbox publishes it: JSON, transient, `clock` header. */
export function pidboxPublish(
  message: ControlMessage,
  clock: number,
): { content: Buffer; options: Options.Publish } {
  return {
    content: Buffer.from(JSON.stringify(message)),
    options: {
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      deliveryMode: 1,
      headers: { clock, expires: 0 },
    },
  };
}

/** The control message of a delivery, or null when it is not one (not JSON, no method). */
export function readPidbox(content: Buffer): ControlMessage | null {
  try {
    const parsed = JSON.parse(content.toString('utf8')) as ControlMessage;
    return parsed && typeof parsed.method === 'string' ? parsed : null;
  } catch {
    return null;
  }
}
