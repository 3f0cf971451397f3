import type { Message, MessageProperties, Options } from 'amqplib';
import {
  CONTENT_ENCODING_BINARY,
  CONTENT_ENCODING_UTF8,
  CONTENT_TYPE_JSON,
  TaskHeaders,
  TaskMessage,
  TaskProperties,
  compressionOf,
  encodeBody,
  readWireBody,
} from '../../protocol';
import { AmqpRefusedError } from '../../drivers/amqp/errors';
import { fieldTableSize } from './field-table-size';

/**
 * The AMQP properties of a task message, as Celery sets them: the v2 headers as a field
 * table (null as void, `timelimit` as an array), persistent unless told otherwise, and
 * `reply_to` and `expiration` only when present. The body travels as raw JSON bytes.
 */
export function publishOptions(message: TaskMessage): Options.Publish {
  const properties = message.properties;
  return {
    headers: message.headers,
    contentType: properties.content_type ?? CONTENT_TYPE_JSON,
    contentEncoding: properties.content_encoding ?? CONTENT_ENCODING_UTF8,
    deliveryMode: properties.delivery_mode ?? 2,
    priority: properties.priority ?? 0,
    correlationId: properties.correlation_id,
    replyTo: properties.reply_to,
    expiration: properties.expiration,
  };
}

/**
 * Room for the headers: amqplib encodes all properties into 64 KB (see field-table-size).
 * Celery keeps headers small by cutting argsrepr/kwargsrepr at 1024 characters.
 */
export const MAX_HEADERS_BYTES = 60_000;

/** An error when the message's headers are too large to send, else undefined. */
export function oversizedHeaders(
  message: TaskMessage,
): AmqpRefusedError | undefined {
  const headers = message.headers ?? {};
  const size = fieldTableSize(headers);
  if (size <= MAX_HEADERS_BYTES) return undefined;
  return new AmqpRefusedError(
    `task ${String(headers.task)}[${String(headers.id)}] has ${size} bytes ` +
      `of headers; AMQP takes at most ${MAX_HEADERS_BYTES} here ` +
      `(the largest header is "${largestHeader(headers)}")`,
  );
}

function largestHeader(headers: Record<string, unknown>): string {
  let largest = '';
  let largestSize = -1;
  for (const [key, value] of Object.entries(headers)) {
    const size = fieldTableSize({ [key]: value });
    if (size > largestSize) [largest, largestSize] = [key, size];
  }
  return largest;
}

/** The body on the wire: UTF-8 JSON, compressed when the `compression` header says so. */
export function bodyBytes(message: TaskMessage): Buffer {
  return encodeBody(message.body, message.headers);
}

/**
 * Headers RabbitMQ adds when it dead-letters (our delay levels do, on every hop) and
 * headers Celeriac adds to dead letters: not part of the task, dropped on the way in.
 */
export function isBrokerHeader(name: string): boolean {
  return (
    name === 'x-death' ||
    name.startsWith('x-first-death-') ||
    name.startsWith('x-last-death-') ||
    name === 'x-delivery-count' ||
    name.startsWith('x-celeriac-')
  );
}

/** The task's headers: amqplib's decoded table, copied only if the broker added some. */
export function taskHeadersOf(
  headers: MessageProperties['headers'],
): TaskHeaders {
  const table = (headers ?? {}) as Record<string, unknown>;
  let clean = true;
  for (const name in table) {
    if (name.charCodeAt(0) === 120 /* x */ && isBrokerHeader(name)) {
      clean = false;
      break;
    }
  }
  if (clean) return table as TaskHeaders;
  const result: Record<string, unknown> = {};
  for (const name in table) {
    if (!isBrokerHeader(name)) result[name] = table[name];
  }
  return result as TaskHeaders;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The task message inside a delivery, or why there is none. */
export function decodeMessage(
  amqp: Message,
):
  | { message: TaskMessage; decodeError?: undefined }
  | { message?: undefined; decodeError: Error } {
  const headers = taskHeadersOf(amqp.properties.headers);
  if (compressionOf(headers) !== undefined) {
    return {
      message: {
        headers,
        properties: propertiesOf(amqp, headers, false),
        ...readWireBody(amqp.content, headers),
      },
    };
  }
  let body = amqp.content.toString('utf8');
  let binary = false;
  if (body.includes('\uFFFD')) {
    try {
      body = strictUtf8.decode(amqp.content);
    } catch {
      // Bytes (a compressed or pickled body): kept, marked as kombu marks bytes, so the
      // worker can still read the headers and tell the caller why it cannot run it.
      body = amqp.content.toString('base64');
      binary = true;
    }
  }
  return {
    message: { headers, properties: propertiesOf(amqp, headers, binary), body },
  };
}

function propertiesOf(
  amqp: Message,
  headers: TaskHeaders,
  binary: boolean,
): TaskProperties {
  const p = amqp.properties;
  const properties: TaskProperties = {
    correlation_id: stringOr(
      p.correlationId,
      typeof headers.id === 'string' ? headers.id : '',
    ),
    content_type: stringOr(p.contentType, CONTENT_TYPE_JSON),
    content_encoding: binary
      ? CONTENT_ENCODING_BINARY
      : stringOr(p.contentEncoding, CONTENT_ENCODING_UTF8),
    delivery_mode: typeof p.deliveryMode === 'number' ? p.deliveryMode : 1,
    priority: typeof p.priority === 'number' ? p.priority : 0,
  };
  if (typeof p.replyTo === 'string') properties.reply_to = p.replyTo;
  if (typeof p.expiration === 'string') properties.expiration = p.expiration;
  return properties;
}

/**
 * The properties to send a delivered message on with (to a delay level or a dead-letter
 * queue): the same, minus broker headers and minus `expiration`, which would let RabbitMQ
 * drop or dead-letter it early (the worker still honours the `expires` header).
 */
export function forwardOptions(
  amqp: Message,
  extraHeaders: Record<string, unknown> = {},
): Options.Publish {
  const p = amqp.properties;
  return {
    headers: { ...taskHeadersOf(p.headers), ...extraHeaders },
    contentType: p.contentType as string | undefined,
    contentEncoding: p.contentEncoding as string | undefined,
    deliveryMode: 2,
    priority: p.priority as number | undefined,
    correlationId: p.correlationId as string | undefined,
    replyTo: p.replyTo as string | undefined,
    messageId: p.messageId as string | undefined,
    timestamp: p.timestamp as number | undefined,
    type: p.type as string | undefined,
    appId: p.appId as string | undefined,
  };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
