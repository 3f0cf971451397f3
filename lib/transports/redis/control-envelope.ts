import { randomUUID } from 'node:crypto';
import { ControlMessage } from '../control-bus';
import { decodeBody } from './envelope';
import { isRecord } from '../../common/object-kind';

/** Celery's remote control exchange (its kombu `Mailbox` is named `celery`). */
export const PIDBOX_EXCHANGE = 'celery.pidbox';

/**
 * The channel kombu PUBLISHes a fanout exchange's messages on, and its workers
 * PSUBSCRIBE to: `/{db}.{exchange}` (kombu's `keyprefix_fanout` is `/{db}.`; a routing
 * key would add `/{rk}`, but the pidbox publishes with routing key ''). kombu's
 * `global_keyprefix` is prepended to channel names as to keys (its prefixed client
 * prefixes PUBLISH and (P)SUBSCRIBE), so `pfx:` gives `pfx:/0.celery.pidbox`.
 */
export function fanoutChannel(
  keyPrefix: string,
  db: number,
  exchange: string,
): string {
  return `${keyPrefix}/${db}.${exchange}`;
}

/**
 * The envelope kombu publishes for `app.control.broadcast` on Redis (captured from
 * Celery 5.2.6): the message as base64 JSON, headers `{clock, expires}` (kombu sets
 * `expires` to now + the broadcast timeout, 1 s, in seconds), and properties whose
 * `delivery_info` names the `celery.pidbox` exchange with routing key ''.
 */
export function encodeControlEnvelope(
  message: ControlMessage,
  clock: number,
  nowMs: number = Date.now(),
): string {
  return encodeJsonEnvelope(
    message,
    { clock, expires: nowMs / 1000 + 1 },
    PIDBOX_EXCHANGE,
    '',
  );
}

/**
 * Any JSON body in kombu's Redis envelope: base64 body, `application/json`, transient
 * (a pidbox reply carries headers `{ticket, clock}`, kombu's `_publish_reply`).
 */
export function encodeJsonEnvelope(
  body: unknown,
  headers: Record<string, unknown>,
  exchange: string,
  routingKey: string,
): string {
  return encodeJsonTextEnvelope(
    JSON.stringify(body),
    headers,
    exchange,
    routingKey,
  );
}

/**
 * `encodeJsonEnvelope` of a body already written as JSON text. Written piece by piece,
 * the same text as the object would give: base64 needs no escaping, so the (large)
 * body is not scanned again by JSON.stringify.
 */
export function encodeJsonTextEnvelope(
  bodyJson: string,
  headers: Record<string, unknown>,
  exchange: string,
  routingKey: string,
): string {
  const body = Buffer.from(bodyJson, 'utf8').toString('base64');
  return `${BODY_START}${body}${envelopeTail(headers, exchange, routingKey)}`;
}

/**
 * The UTF-8 bytes of `encodeJsonTextEnvelope`, written straight into one buffer: a
 * large envelope then costs the JavaScript heap only its base64 text, not the copies
 * that concatenating and sending a string make. (A worker's `task.multi` lists are
 * written into their PUBLISH frames instead: event-list.ts.)
 */
export function encodeJsonTextEnvelopeBytes(
  bodyJson: string,
  headers: Record<string, unknown>,
  exchange: string,
  routingKey: string,
): Buffer {
  const body = Buffer.from(bodyJson, 'utf8').toString('base64');
  const tail = envelopeTail(headers, exchange, routingKey);
  const bytes = Buffer.allocUnsafe(
    BODY_START.length + body.length + Buffer.byteLength(tail, 'utf8'),
  );
  let at = bytes.write(BODY_START, 0, 'latin1');
  at += bytes.write(body, at, 'latin1'); // base64 is ASCII
  bytes.write(tail, at, 'utf8');
  return bytes;
}

/** kombu's envelope up to its body's text. */
export const BODY_START = '{"body":"';

/**
 * What follows the body's text in kombu's envelope: base64 by default; `null` for a
 * body written as the JSON text itself (kombu reads it as it is).
 */
export function envelopeTail(
  headers: Record<string, unknown>,
  exchange: string,
  routingKey: string,
  bodyEncoding: 'base64' | null = 'base64',
): string {
  const json = JSON.stringify;
  return (
    `","content-encoding":"utf-8","content-type":"application/json"` +
    `,"headers":${json(headers)},"properties":{"delivery_mode":${exchange === PIDBOX_EXCHANGE ? 2 : 1}` +
    `,"delivery_info":{"exchange":${json(exchange)},"routing_key":${json(routingKey)}}` +
    `,"priority":0,"body_encoding":${json(bodyEncoding)},"delivery_tag":"${randomUUID()}"}}`
  );
}

export interface DecodedControl {
  message: ControlMessage;
  /** The sender's Lamport clock (`headers.clock`), when it sent one. */
  clock: number | undefined;
}

/**
 * Reads a pidbox envelope written by kombu or by `encodeControlEnvelope`; throws an
 * Error saying why when it is not one. `expires` is not checked: kombu's workers do
 * not check it either (only a client collecting replies does).
 */
export function decodeControlEnvelope(text: string): DecodedControl {
  const { body, headers } = decodeJsonEnvelope(text);
  return {
    message: readControlMessage(body),
    clock: typeof headers.clock === 'number' ? headers.clock : undefined,
  };
}

/** The body text and headers of a kombu JSON envelope; throws saying why it is not one. */
export function decodeJsonEnvelope(text: string): {
  body: string;
  headers: Record<string, unknown>;
} {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch (error) {
    throw new Error(`envelope is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(envelope)) throw new Error('envelope is not a JSON object');
  const contentType = envelope['content-type'];
  if (contentType !== undefined && contentType !== 'application/json') {
    throw new Error(`unsupported content-type ${JSON.stringify(contentType)}`);
  }
  if (typeof envelope.body !== 'string') {
    throw new Error('envelope has no string body');
  }
  const properties = isRecord(envelope.properties) ? envelope.properties : {};
  const body = decodeBody(envelope.body, properties.body_encoding);
  if (body === undefined) {
    throw new Error(
      `unsupported body_encoding ${JSON.stringify(properties.body_encoding)}`,
    );
  }
  const headers = isRecord(envelope.headers) ? envelope.headers : {};
  return { body, headers };
}

function readControlMessage(body: string): ControlMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new Error(`body is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed) || typeof parsed.method !== 'string') {
    throw new Error('body is not a control message (no "method")');
  }
  const message: ControlMessage = {
    method: parsed.method,
    // Anything else than an object is left for the worker to refuse (and log).
    arguments: (parsed.arguments ?? {}) as Record<string, unknown>,
    destination: Array.isArray(parsed.destination)
      ? parsed.destination.filter(
          (name): name is string => typeof name === 'string',
        )
      : null,
    pattern: typeof parsed.pattern === 'string' ? parsed.pattern : null,
    matcher: typeof parsed.matcher === 'string' ? parsed.matcher : null,
  };
  if (typeof parsed.ticket === 'string') message.ticket = parsed.ticket;
  const replyTo = parsed.reply_to;
  if (
    isRecord(replyTo) &&
    typeof replyTo.exchange === 'string' &&
    typeof replyTo.routing_key === 'string'
  ) {
    message.reply_to = {
      exchange: replyTo.exchange,
      routing_key: replyTo.routing_key,
    };
  }
  return message;
}
