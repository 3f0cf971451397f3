import {
  CONTENT_ENCODING_UTF8,
  CONTENT_TYPE_JSON,
  TaskMessage,
  buildTaskMessage,
  compressionHeader,
  encodeBody,
} from '../../../../lib/protocol';
import {
  decodeEnvelope,
  encodeEnvelope,
} from '../../../../lib/transports/redis/envelope';

/**
 * The envelope as it was written before its constant parts were cached (each piece
 * through JSON.stringify per publish): the cached encoder must write the same bytes.
 */
function referenceEnvelope(
  queue: string,
  message: TaskMessage,
  deliveryTag: string,
): string {
  const source = message.properties;
  const json = JSON.stringify;
  let properties = `{"correlation_id":${json(source.correlation_id)}`;
  if (source.reply_to !== undefined)
    properties += `,"reply_to":${json(source.reply_to)}`;
  properties += `,"delivery_mode":${json(source.delivery_mode ?? 2)}`;
  if (source.expiration !== undefined)
    properties += `,"expiration":${json(source.expiration)}`;
  properties +=
    `,"delivery_info":{"exchange":"","routing_key":${json(queue)}}` +
    `,"priority":${json(source.priority ?? 0)}` +
    `,"body_encoding":"base64","delivery_tag":${json(deliveryTag)}}`;
  const body = encodeBody(message.body, message.headers).toString('base64');
  return (
    `{"body":"${body}"` +
    `,"content-encoding":${json(source.content_encoding ?? CONTENT_ENCODING_UTF8)}` +
    `,"content-type":${json(source.content_type ?? CONTENT_TYPE_JSON)}` +
    `,"headers":${json(message.headers)},"properties":${properties}}`
  );
}

const NOW = new Date('2026-12-06T10:00:00.000Z');
const LATER = new Date('2026-12-06T10:05:00.000Z');

function messages(): TaskMessage[] {
  const built: TaskMessage[] = [];
  const argsChoices: unknown[][] = [
    [],
    [1],
    ['é "quoted" \u2028', { a: [1, null] }],
  ];
  const kwargsChoices: Record<string, unknown>[] = [{}, { x: 'ü', '\n': true }];
  for (const args of argsChoices)
    for (const kwargs of kwargsChoices)
      for (const priority of [undefined, 0, 3, 9])
        for (const replyTo of [undefined, 'reply-queue', 'ü"'])
          for (const expires of [undefined, LATER])
            for (const compression of [undefined, 'gzip'])
              built.push(
                buildTaskMessage({
                  name: 'tests.envelope',
                  id: `id-${built.length}`,
                  args,
                  kwargs,
                  origin: 'gen1@host',
                  priority,
                  replyTo,
                  expires,
                  eta: expires ? NOW : undefined,
                  headers: compression
                    ? { compression: compressionHeader(compression) }
                    : undefined,
                  now: NOW,
                }),
              );
  return built;
}

/** Properties a message from elsewhere may carry: other content, modes and priorities. */
function unusual(message: TaskMessage, variant: number): TaskMessage {
  const properties = { ...message.properties };
  if (variant === 1) properties.delivery_mode = 1;
  if (variant === 2) properties.priority = 255;
  if (variant === 3) properties.priority = 2.5;
  if (variant === 4) {
    properties.content_type = 'application/x-custom';
    properties.content_encoding = 'binary';
  }
  if (variant === 5) properties.expiration = '1000';
  if (variant === 6) {
    const loose = properties as Partial<typeof properties>;
    delete loose.priority;
    delete loose.delivery_mode;
    delete loose.content_type;
    delete loose.content_encoding;
  }
  return { ...message, properties };
}

describe('encodeEnvelope', () => {
  it('writes the same bytes as one JSON.stringify per piece, for every option combination', () => {
    const all = messages();
    expect(all.length).toBe(288);
    for (const [index, message] of all.entries()) {
      for (const queue of ['celery', 'q-ü "x"', ''])
        for (let variant = 0; variant <= 6; variant++) {
          const tag = `tag-${index}-${variant}`;
          const shaped = unusual(message, variant);
          // Twice: the first fills the cache, the second reads it.
          expect(encodeEnvelope(queue, shaped, tag)).toBe(
            referenceEnvelope(queue, shaped, tag),
          );
          expect(encodeEnvelope(queue, shaped, tag)).toBe(
            referenceEnvelope(queue, shaped, tag),
          );
        }
    }
  });

  it('decodes back to the message it encoded', () => {
    const message = messages()[40];
    const decoded = decodeEnvelope(encodeEnvelope('celery', message, 'tag'));
    expect(decoded.message).toEqual(message);
  });
});

describe('decodeEnvelope', () => {
  /** The envelope kombu writes with `transport_options={'body_encoding': ...}`. */
  function withBodyEncoding(encoding: string | null): string {
    const envelope = JSON.parse(
      encodeEnvelope('celery', messages()[2], 'tag'),
    ) as { body: string; properties: Record<string, unknown> };
    envelope.body = Buffer.from(envelope.body, 'base64').toString('utf8');
    envelope.properties.body_encoding = encoding;
    return JSON.stringify(envelope);
  }

  it.each(['utf-8', 'UTF-8', null])(
    "reads the body as it is with body_encoding %p, as kombu's decode_body does",
    (encoding) => {
      const decoded = decodeEnvelope(withBodyEncoding(encoding));
      expect(decoded.message).toEqual(messages()[2]);
    },
  );

  it('refuses a body_encoding kombu does not write, saying which', () => {
    const decoded = decodeEnvelope(withBodyEncoding('gz'));
    expect(decoded.message).toBeUndefined();
    expect(decoded.decodeError?.message).toBe('unsupported body_encoding "gz"');
  });
});
