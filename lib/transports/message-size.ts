import type { TaskMessage } from '../protocol';
import { MessageTooLargeError } from './errors';

/** Redis's own limit on one value (`proto-max-bulk-len`): 512 MiB. */
export const REDIS_MAX_VALUE_BYTES = 512 * 1024 * 1024;

/**
 * RabbitMQ's default `max_message_size` from 3.8 to 3.13: 128 MiB. RabbitMQ 4.0 lowered
 * its default to 16 MiB; on 4.x set `maxMessageSize` to what the server takes.
 */
export const RABBITMQ_MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

/** A size limit option: a positive whole number of bytes, or the default. */
export function sizeLimitOption(
  value: unknown,
  fallback: number,
  option: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw new TypeError(
      `${option} must be a positive whole number of bytes, got ${JSON.stringify(value)}`,
    );
  return value;
}

/** Throws MessageTooLargeError when `bytes` is over `limit`. */
export function checkSize(
  what: () => string,
  bytes: number,
  limit: number,
  option: string,
): void {
  if (bytes > limit)
    throw new MessageTooLargeError(what(), bytes, limit, option);
}

/**
 * The UTF-8 size of `text` when it may be over `limit`; cheaper than
 * Buffer.byteLength for the many texts that cannot be (3 bytes per UTF-16 unit at most).
 */
export function utf8SizeIfNear(text: string, limit: number): number {
  return text.length * 3 <= limit ? text.length : Buffer.byteLength(text);
}

/** `name[id]` of a message, for errors. */
export function describeTask(message: TaskMessage): string {
  return `${String(message.headers?.task)}[${String(message.headers?.id)}]`;
}
