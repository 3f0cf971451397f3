import { parseCeleryIso } from '../../../lib/protocol';

/** A kombu Redis envelope as JSON-parsed from the list. */
export interface Envelope {
  body: string;
  'content-encoding': string;
  'content-type': string;
  headers: Record<string, unknown>;
  properties: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What Python's `isoformat()` writes for an aware UTC datetime. */
const PYTHON_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/;
/** Celery's origin: `gen<pid>@<host>`. */
const ORIGIN = /^gen\d+@\S+$/;

/** Headers and properties whose value is the sender's own (an id, a time, a host). */
const PER_SENDER_HEADERS = new Set([
  'id',
  'root_id',
  'origin',
  'eta',
  'expires',
]);
const PER_SENDER_PROPERTIES = new Set([
  'correlation_id',
  'reply_to',
  'delivery_tag',
  'delivery_info',
]);

/**
 * Field-by-field differences between what Celery wrote and what Celeriac wrote for the
 * same call: envelope keys and their order, every header (in order) and property (in
 * order), and the decoded body. Values that belong to the sender (ids, origin, times)
 * are checked for their shape instead. Returns the differences, one line each.
 */
export function envelopeDifferences(
  celery: Envelope,
  celeriac: Envelope,
  options: {
    /** The queues each was sent to (delivery_info.routing_key). */
    queues: { celery: string; celeriac: string };
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
  same('envelope keys', Object.keys(celery), Object.keys(celeriac));
  same('content-type', celery['content-type'], celeriac['content-type']);
  same(
    'content-encoding',
    celery['content-encoding'],
    celeriac['content-encoding'],
  );
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
  same(
    'property keys',
    Object.keys(celery.properties),
    Object.keys(celeriac.properties),
  );
  for (const key of Object.keys(celery.properties)) {
    const ownId = key === 'correlation_id';
    if (!PER_SENDER_PROPERTIES.has(key) || (ownId && options.sameTaskId))
      same(
        `properties.${key}`,
        celery.properties[key],
        celeriac.properties[key],
      );
  }
  same(
    'properties.delivery_info',
    { ...(celery.properties.delivery_info as object), routing_key: 'QUEUE' },
    { ...(celeriac.properties.delivery_info as object), routing_key: 'QUEUE' },
  );
  same('celery routing_key', celery.properties.delivery_info, {
    exchange: '',
    routing_key: options.queues.celery,
  });
  same('celeriac routing_key', celeriac.properties.delivery_info, {
    exchange: '',
    routing_key: options.queues.celeriac,
  });
  same('body', decodedBody(celery), decodedBody(celeriac));
  for (const [who, envelope] of [
    ['celery', celery],
    ['celeriac', celeriac],
  ] as const) {
    problems.push(...ownValueProblems(who, envelope));
  }
  return problems;
}

/** The sender's own values: ids that agree, a uuid reply_to and tag, origin, ISO times. */
function ownValueProblems(who: string, envelope: Envelope): string[] {
  const { headers, properties } = envelope;
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${who}: ${what}`);
  };
  expect(
    typeof headers.id === 'string' && UUID.test(headers.id),
    `id ${String(headers.id)} is a uuid`,
  );
  expect(headers.root_id === headers.id, 'root_id is the id');
  expect(properties.correlation_id === headers.id, 'correlation_id is the id');
  expect(
    typeof headers.origin === 'string' && ORIGIN.test(headers.origin),
    `origin ${String(headers.origin)} is gen<pid>@<host>`,
  );
  expect(
    typeof properties.reply_to === 'string' && UUID.test(properties.reply_to),
    'reply_to is a uuid',
  );
  expect(
    typeof properties.delivery_tag === 'string' &&
      UUID.test(properties.delivery_tag),
    'delivery_tag is a uuid',
  );
  for (const key of ['eta', 'expires']) {
    const value = headers[key];
    expect(
      value === null || (typeof value === 'string' && PYTHON_ISO.test(value)),
      `${key} ${JSON.stringify(value)} is null or Python's isoformat with +00:00`,
    );
  }
  return problems;
}

export function decodedBody(envelope: Envelope): unknown {
  const text =
    envelope.properties.body_encoding === 'base64'
      ? Buffer.from(envelope.body, 'base64').toString('utf8')
      : envelope.body;
  return JSON.parse(text);
}

/** Seconds between a header time and `from` (ms since the epoch). */
export function secondsAfter(value: unknown, from: number): number {
  const time = typeof value === 'string' ? parseCeleryIso(value) : null;
  if (!time) throw new Error(`${JSON.stringify(value)} is not a time`);
  return (time.getTime() - from) / 1000;
}
