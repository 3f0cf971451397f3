/**
 * A control subscription refused because another live subscriber already holds that
 * node name (on AMQP its `<node>.celery.pidbox` queue is exclusive to that node).
 */
export class NodeNameInUseError extends Error {
  override readonly name = 'NodeNameInUseError';
  constructor(readonly node: string) {
    super(
      `the node name "${node}" is in use by another worker: give each worker its own name ` +
        `(the worker option nodeName, e.g. 'worker1@%h', or '%p@%h' for one per process)`,
    );
  }
}

/**
 * A message or a result larger than the limit of where it goes, refused before it is
 * sent (rather than failing deep in the client or the broker). The limit is the
 * transport's `maxMessageSize` or the backend's `maxResultSize`, by default the
 * broker's own: Redis's 512 MiB per value, RabbitMQ's 128 MiB `max_message_size`
 * (16 MiB from RabbitMQ 4.0: set it to match). See README, Production.
 */
export class MessageTooLargeError extends Error {
  override readonly name = 'MessageTooLargeError';
  constructor(
    /** What was refused: `task videos.transcode[<id>] to "celery"`, `result of <id>`. */
    readonly what: string,
    /** Its size on the wire, in bytes. */
    readonly size: number,
    /** The limit, in bytes. */
    readonly limit: number,
    /** The option that sets the limit. */
    readonly option: string,
  ) {
    super(
      `${what} is ${size} bytes (${mebibytes(size)}), over the limit of ${limit} bytes ` +
        `(${mebibytes(limit)}, the option ${option}): send a reference to the data ` +
        `(a key, a URL) instead${option.includes('Result') ? '' : ', compress it'}, ` +
        `or raise ${option} if the server takes more`,
    );
  }
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
