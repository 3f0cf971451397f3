import {
  buildTaskMessage,
  encodeBody,
  readWireBody,
  TaskMessage,
} from '../../../lib/protocol';
import { Delivery } from '../../../lib/transports/transport';
import { decodeDelivery } from '../../../lib/worker/decode-delivery';

const ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function message(): TaskMessage {
  const built = buildTaskMessage({
    name: 'nest.add',
    id: ID,
    args: [2, 3],
    kwargs: {},
    origin: 'gen1@vm',
  });
  built.properties.reply_to = 'reply-queue';
  return built;
}

function delivery(of: TaskMessage | undefined): Delivery {
  const refuse = () => Promise.reject(new Error('not here'));
  return {
    queue: 'q',
    message: of,
    decodeError: of ? undefined : new Error('not JSON'),
    redelivered: false,
    ack: refuse,
    requeue: refuse,
    deadLetter: refuse,
    defer: refuse,
  };
}

/** The exception stored for the message, and the reason it is dead-lettered with. */
function failure(of: TaskMessage) {
  const decoded = decodeDelivery(delivery(of));
  if (decoded.ok) throw new Error('expected a message that cannot run');
  expect(decoded.failed?.request).toMatchObject({
    id: ID,
    name: 'nest.add',
    replyTo: 'reply-queue',
  });
  expect(decoded.failed?.meta).toMatchObject({
    status: 'FAILURE',
    task_id: ID,
  });
  return { result: decoded.failed!.meta.result, reason: decoded.reason };
}

describe('decodeDelivery: a message whose task id can be read but that cannot run', () => {
  it('compressed with bzip2 (not in Node): FAILURE ContentDisallowed naming compression', () => {
    const bz2 = message();
    bz2.headers.compression = 'application/x-bz2';
    Object.assign(bz2, readWireBody(Buffer.from('BZh9'), bz2.headers));
    const { result, reason } = failure(bz2);
    expect(result).toEqual({
      exc_type: 'ContentDisallowed',
      exc_module: 'kombu.exceptions',
      exc_message: [expect.stringContaining('compression "application/x-bz2"')],
    });
    expect(reason).toMatch(/^ContentDisallowed: compression/);
  });

  it('compressed with gzip: runs (the transport decompressed it)', () => {
    const gzip = message();
    gzip.headers.compression = 'application/x-gzip';
    Object.assign(
      gzip,
      readWireBody(encodeBody(gzip.body, gzip.headers), gzip.headers),
    );
    const decoded = decodeDelivery(delivery(gzip));
    expect(decoded.ok && decoded.request.args).toEqual([2, 3]);
  });

  it.each(['application/x-python-serialize', 'application/x-yaml'])(
    'content type %s: FAILURE ContentDisallowed',
    (contentType) => {
      const other = message();
      other.properties.content_type = contentType;
      const { result } = failure(other);
      expect(result).toMatchObject({ exc_type: 'ContentDisallowed' });
      expect(JSON.stringify(result)).toContain(contentType);
    },
  );

  it('a body that is not JSON, or bytes that are not UTF-8: FAILURE DecodeError', () => {
    const bad = message();
    bad.body = '[[2, 3], {}';
    expect(failure(bad).result).toMatchObject({
      exc_type: 'DecodeError',
      exc_module: 'kombu.exceptions',
    });
    const bytes = message();
    bytes.properties.content_encoding = 'binary';
    expect(failure(bytes).result).toMatchObject({
      exc_type: 'DecodeError',
      exc_message: ['body is not UTF-8 text'],
    });
  });

  it('without a readable task id: only the reason, nothing to store', () => {
    const anonymous = message();
    anonymous.body = 'nope';
    delete (anonymous.headers as { id?: string }).id;
    anonymous.properties.correlation_id = '';
    const decoded = decodeDelivery(delivery(anonymous));
    if (decoded.ok) throw new Error('expected a failure');
    expect(decoded.reason).toMatch(/^DecodeError: body is not JSON/);
    expect(decoded.failed).toBeUndefined();
    expect(decodeDelivery(delivery(undefined))).toEqual({
      ok: false,
      reason: 'envelope does not decode: not JSON',
    });
  });
});
