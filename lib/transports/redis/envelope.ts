import { randomUUID } from 'node:crypto';
import {
  CONTENT_ENCODING_UTF8,
  CONTENT_TYPE_JSON,
  TaskHeaders,
  TaskMessage,
  TaskProperties,
  encodeBody,
  readWireBody,
} from '../../protocol';
import { PriorityBucket, priorityBucket } from './keys';
import { isRecord } from '../../common/object-kind';

/**
 * kombu's Redis envelope (docs/wire-format.md): the message with a base64 body and
 * its AMQP-style properties, plus kombu's own `body_encoding`, `delivery_tag` and
 * `delivery_info`. Celery 5 publishes to the default exchange '' with the queue as
 * routing key; keys are written in the order kombu writes them.
 */
export function encodeEnvelope(
  queue: string,
  message: TaskMessage,
  deliveryTag: string = randomUUID(),
): string {
  const source = message.properties;
  const body = encodeBody(message.body, message.headers).toString('base64');
  return (
    `{"body":"${body}` +
    contentPart(source.content_encoding, source.content_type) +
    JSON.stringify(message.headers) +
    `,"properties":{"correlation_id":${JSON.stringify(source.correlation_id)}` +
    (source.reply_to === undefined
      ? ''
      : `,"reply_to":${JSON.stringify(source.reply_to)}`) +
    deliveryPart(queue, source) +
    JSON.stringify(deliveryTag) +
    '}}'
  );
}

/*
 * The parts of an envelope that are the same for every send with the same content
 * type, queue, delivery mode and priority, written once (each value through
 * JSON.stringify, as before) and reused: a send writes only what varies.
 */
const CONTENT_PART_UTF8_JSON = contentPartOf(
  CONTENT_ENCODING_UTF8,
  CONTENT_TYPE_JSON,
);

function contentPart(
  encoding: string | undefined,
  type: string | undefined,
): string {
  const resolvedEncoding = encoding ?? CONTENT_ENCODING_UTF8;
  const resolvedType = type ?? CONTENT_TYPE_JSON;
  return resolvedEncoding === CONTENT_ENCODING_UTF8 &&
    resolvedType === CONTENT_TYPE_JSON
    ? CONTENT_PART_UTF8_JSON
    : contentPartOf(resolvedEncoding, resolvedType);
}

function contentPartOf(encoding: string, type: string): string {
  return (
    `","content-encoding":${JSON.stringify(encoding)}` +
    `,"content-type":${JSON.stringify(type)},"headers":`
  );
}

/** Cached parts by queue and priority (0..9), for delivery mode 2 without expiration. */
const deliveryParts = new Map<string, string[]>();
const DELIVERY_PARTS_MAX_QUEUES = 1000;

function deliveryPart(queue: string, source: TaskProperties): string {
  const mode = source.delivery_mode ?? 2;
  const priority = source.priority ?? 0;
  const cacheable =
    mode === 2 &&
    source.expiration === undefined &&
    Number.isInteger(priority) &&
    priority >= 0 &&
    priority <= 9;
  if (!cacheable)
    return deliveryPartOf(queue, mode, source.expiration, priority);
  let byPriority = deliveryParts.get(queue);
  if (!byPriority) {
    if (deliveryParts.size >= DELIVERY_PARTS_MAX_QUEUES) deliveryParts.clear();
    byPriority = [];
    deliveryParts.set(queue, byPriority);
  }
  return (byPriority[priority] ??= deliveryPartOf(
    queue,
    mode,
    undefined,
    priority,
  ));
}

function deliveryPartOf(
  queue: string,
  mode: unknown,
  expiration: string | undefined,
  priority: unknown,
): string {
  return (
    `,"delivery_mode":${JSON.stringify(mode)}` +
    (expiration === undefined
      ? ''
      : `,"expiration":${JSON.stringify(expiration)}`) +
    `,"delivery_info":{"exchange":"","routing_key":${JSON.stringify(queue)}}` +
    `,"priority":${JSON.stringify(priority)}` +
    ',"body_encoding":"base64","delivery_tag":'
  );
}

export interface DecodedEnvelope {
  /** Undefined when the envelope does not decode; `decodeError` says why. */
  message: TaskMessage | undefined;
  decodeError?: Error;
  /** Set by a restore (kombu sets `delivery_info.redelivered`, newer kombu also a header). */
  redelivered: boolean;
  /** Where a requeue or replay puts it back. */
  bucket: PriorityBucket;
}

interface RawEnvelope {
  body?: unknown;
  'content-type'?: unknown;
  'content-encoding'?: unknown;
  headers?: unknown;
  properties?: unknown;
}

/**
 * Reads an envelope written by kombu or by `encodeEnvelope`. A body without
 * `body_encoding` is taken as is (the minimal messages Celery also accepts).
 */
export function decodeEnvelope(raw: string): DecodedEnvelope {
  let envelope: RawEnvelope;
  try {
    envelope = JSON.parse(raw) as RawEnvelope;
  } catch (error) {
    return failure(`envelope is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(envelope)) return failure('envelope is not a JSON object');
  const properties = isRecord(envelope.properties) ? envelope.properties : {};
  const headers = isRecord(envelope.headers) ? envelope.headers : {};
  const deliveryInfo = isRecord(properties.delivery_info)
    ? properties.delivery_info
    : {};
  const redelivered =
    deliveryInfo.redelivered === true || headers.redelivered === true;
  const bucket = priorityBucket(properties.priority);
  if (typeof envelope.body !== 'string') {
    return failure('envelope has no string body', redelivered, bucket);
  }
  const bytes = bodyBytes(envelope.body, properties.body_encoding);
  if (bytes === undefined) {
    return failure(
      `unsupported body_encoding ${JSON.stringify(properties.body_encoding)}`,
      redelivered,
      bucket,
    );
  }
  const message: TaskMessage = {
    headers: headers as TaskHeaders,
    properties: taskProperties(envelope, properties, headers),
    ...readWireBody(bytes, headers),
  };
  return { message, redelivered, bucket };
}

function taskProperties(
  envelope: RawEnvelope,
  properties: Record<string, unknown>,
  headers: Record<string, unknown>,
): TaskProperties {
  const result: TaskProperties = {
    correlation_id: stringOr(
      properties.correlation_id,
      stringOr(headers.id, ''),
    ),
    content_type: stringOr(envelope['content-type'], CONTENT_TYPE_JSON),
    content_encoding: stringOr(
      envelope['content-encoding'],
      CONTENT_ENCODING_UTF8,
    ),
    delivery_mode:
      typeof properties.delivery_mode === 'number'
        ? properties.delivery_mode
        : 2,
    priority: typeof properties.priority === 'number' ? properties.priority : 0,
  };
  if (typeof properties.reply_to === 'string')
    result.reply_to = properties.reply_to;
  if (typeof properties.expiration === 'string')
    result.expiration = properties.expiration;
  return result;
}

function failure(
  reason: string,
  redelivered = false,
  bucket: PriorityBucket = 0,
): DecodedEnvelope {
  return {
    message: undefined,
    decodeError: new Error(reason),
    redelivered,
    bucket,
  };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/**
 * An envelope's body as text: kombu's Redis transport base64-encodes it
 * (`body_encoding: 'base64'`); without an encoding, or with `utf-8` (kombu's
 * `body_encoding` transport option; Celeriac's task events), it is the text itself.
 * Undefined for an encoding kombu does not write.
 */
export function decodeBody(
  body: string,
  encoding: unknown,
): string | undefined {
  if (encoding === 'base64')
    return Buffer.from(body, 'base64').toString('utf8');
  return isPlainText(encoding) ? body : undefined;
}

/** An envelope's body as bytes (compressed bodies are bytes), as decodeBody reads it. */
function bodyBytes(body: string, encoding: unknown): Buffer | undefined {
  if (encoding === 'base64') return Buffer.from(body, 'base64');
  return isPlainText(encoding) ? Buffer.from(body, 'utf8') : undefined;
}

/** kombu's `decode_body` takes the body as it is without an encoding or with `utf-8`. */
function isPlainText(encoding: unknown): boolean {
  return (
    encoding === undefined ||
    encoding === null ||
    (typeof encoding === 'string' && encoding.toLowerCase() === 'utf-8')
  );
}
