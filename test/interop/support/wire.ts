import type { Message } from 'amqplib';
import { parseCeleryIso } from '../../../lib/protocol';

/** A kombu Redis envelope as JSON-parsed from the list. */
export interface Envelope {
  body: string;
  'content-encoding': string;
  'content-type': string;
  headers: Record<string, unknown>;
  properties: Record<string, unknown>;
}

/**
 * A task message as it sat in the broker, whatever the broker: its protocol headers,
 * its other properties (by their broker's names), the queue it was routed to and
 * its body, parsed.
 */
export interface WireMessage {
  headers: Record<string, unknown>;
  properties: Record<string, unknown>;
  routedTo: unknown;
  body: unknown;
}

/** Redis: the envelope's content type and encoding count as properties. */
export function fromRedisEnvelope(envelope: Envelope): WireMessage {
  const { delivery_info: routedTo, ...properties } = envelope.properties;
  const text =
    properties.body_encoding === 'base64'
      ? Buffer.from(envelope.body, 'base64').toString('utf8')
      : envelope.body;
  return {
    headers: envelope.headers,
    properties: {
      'content-type': envelope['content-type'],
      'content-encoding': envelope['content-encoding'],
      ...properties,
    },
    routedTo,
    body: JSON.parse(text),
  };
}

/** AMQP: a `basic.get` as amqplib reads it (unset properties left out). */
export function fromAmqpMessage(message: Message): WireMessage {
  const { headers, ...properties } = message.properties as unknown as Record<
    string,
    unknown
  > & { headers?: Record<string, unknown> };
  return {
    headers: headers ?? {},
    properties: Object.fromEntries(
      Object.entries(properties).filter(([, value]) => value !== undefined),
    ),
    routedTo: {
      exchange: message.fields.exchange,
      routingKey: message.fields.routingKey,
    },
    body: JSON.parse(message.content.toString('utf8')),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What Python's `isoformat()` writes for an aware UTC datetime. */
const PYTHON_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/;
/** Celery's origin: `gen<pid>@<host>`. */
const ORIGIN = /^gen\d+@\S+$/;

/** Headers whose value is the sender's own (an id, a time, a host). */
const PER_SENDER_HEADERS = new Set([
  'id',
  'root_id',
  'origin',
  'eta',
  'expires',
]);
/** Properties that are the sender's own, by their Redis and amqplib names. */
const ID_PROPERTIES = new Set(['correlation_id', 'correlationId']);
const PER_SENDER_PROPERTIES = new Set([
  ...ID_PROPERTIES,
  'reply_to',
  'replyTo',
  'delivery_tag',
]);

/**
 * Field-by-field differences between what Celery wrote and what Celeriac wrote for the
 * same call: every header (and their order), every property, where it was routed and
 * the body. Values that belong to the sender (ids, origin, times, reply queue) are
 * checked for their shape instead; with `sameTaskId` the ids are compared too.
 * Returns the differences, one line each.
 */
export function messageDifferences(
  celery: WireMessage,
  celeriac: WireMessage,
  options: {
    /** Where each was routed (`routedTo`), sent to different queues. */
    routedTo: { celery: unknown; celeriac: unknown };
    sameTaskId?: boolean;
  },
): string[] {
  const problems: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      problems.push(
        `${what}: celery ${JSON.stringify(a)}, celeriac ${JSON.stringify(b)}`,
      );
  };
  same(
    'header keys',
    Object.keys(celery.headers),
    Object.keys(celeriac.headers),
  );
  for (const key of Object.keys(celery.headers)) {
    const ownId = key === 'id' || key === 'root_id';
    if (!PER_SENDER_HEADERS.has(key) || (ownId && options.sameTaskId))
      same(`headers.${key}`, celery.headers[key], celeriac.headers[key]);
  }
  // Their times are the sender's own, but a time on one side needs one on the other.
  for (const key of ['eta', 'expires'])
    same(
      `headers.${key} is set`,
      celery.headers[key] != null,
      celeriac.headers[key] != null,
    );
  same(
    'property keys',
    Object.keys(celery.properties).sort(),
    Object.keys(celeriac.properties).sort(),
  );
  for (const key of Object.keys(celery.properties)) {
    const ownId = ID_PROPERTIES.has(key);
    if (!PER_SENDER_PROPERTIES.has(key) || (ownId && options.sameTaskId))
      same(
        `properties.${key}`,
        celery.properties[key],
        celeriac.properties[key],
      );
  }
  same('celery routed to', celery.routedTo, options.routedTo.celery);
  same('celeriac routed to', celeriac.routedTo, options.routedTo.celeriac);
  same('body', celery.body, celeriac.body);
  problems.push(...ownValueProblems('celery', celery));
  problems.push(...ownValueProblems('celeriac', celeriac));
  return problems;
}

/** The sender's own values: ids that agree, a uuid reply_to and tag, origin, ISO times. */
function ownValueProblems(who: string, message: WireMessage): string[] {
  const { headers, properties } = message;
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${who}: ${what}`);
  };
  const uuid = (value: unknown) =>
    typeof value === 'string' && UUID.test(value);
  expect(uuid(headers.id), `id ${String(headers.id)} is a uuid`);
  expect(headers.root_id === headers.id, 'root_id is the id');
  expect(
    (properties.correlation_id ?? properties.correlationId) === headers.id,
    'correlation_id is the id',
  );
  expect(
    typeof headers.origin === 'string' && ORIGIN.test(headers.origin),
    `origin ${String(headers.origin)} is gen<pid>@<host>`,
  );
  expect(uuid(properties.reply_to ?? properties.replyTo), 'reply_to is a uuid');
  if ('delivery_tag' in properties)
    expect(uuid(properties.delivery_tag), 'delivery_tag is a uuid');
  for (const key of ['eta', 'expires']) {
    const value = headers[key];
    expect(
      value === null ||
        value === undefined ||
        (typeof value === 'string' && PYTHON_ISO.test(value)),
      `${key} ${JSON.stringify(value)} is null or Python's isoformat with +00:00`,
    );
  }
  return problems;
}

/** Seconds between a header time and `from` (ms since the epoch). */
export function secondsAfter(value: unknown, from: number): number {
  const time = typeof value === 'string' ? parseCeleryIso(value) : null;
  if (!time) throw new Error(`${JSON.stringify(value)} is not a time`);
  return (time.getTime() - from) / 1000;
}
