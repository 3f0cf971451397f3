/**
 * A message that cannot be understood as a Celery task message. `excType` and
 * `excModule` are the exception a Celery worker stores for it (kombu's `DecodeError`
 * unless the content is refused: `ContentDisallowed`).
 */
export class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError';
  constructor(
    message: string,
    readonly excType: 'DecodeError' | 'ContentDisallowed' = 'DecodeError',
    readonly excModule = 'kombu.exceptions',
  ) {
    super(message);
  }
}

/**
 * An argument that is not plain data (a class instance, a function, a cycle...).
 * Thrown by the client before anything is sent.
 */
export class ArgumentNotDataError extends TypeError {
  override readonly name = 'ArgumentNotDataError';
  constructor(
    /** Where the value is: `args[0]`, `kwargs.user.address`. */
    readonly path: string,
    /** What is wrong with it: `is an instance of class Event, not plain data`. */
    readonly reason: string,
    /** What to do instead; by default, pass the record's id. */
    advice = "Pass the record's id instead (for instance `event.id`) and let the task load it fresh.",
  ) {
    super(`${path} ${reason}. Task arguments are data (JSON). ${advice}`);
  }
}

/**
 * What a task gave back (its result, or progress meta) is not plain data: a NaN, a
 * class instance, a cycle... Stored as Celery stores a result its serializer refuses,
 * kombu's `EncodeError`, so a Python caller can `except EncodeError`.
 */
export class ResultNotDataError extends TypeError {
  override readonly name = 'EncodeError';
  readonly excModule = 'kombu.exceptions';
  constructor(
    /** Where the value is: `the result`, `the result.total`. */
    readonly path: string,
    /** What is wrong with it: `is NaN, which JSON cannot carry`. */
    readonly reason: string,
    /** What to do instead. */
    advice = 'Return plain data: ids, strings, numbers, lists and plain objects.',
  ) {
    super(
      `${path} ${reason}. A task's result is stored as data (JSON), so it must be data. ${advice}`,
    );
  }
}

/**
 * A compression Celeriac cannot do: a name kombu does not know, or one Node's zlib
 * lacks (bzip2, lzma, zstd). Thrown at send, before anything is sent.
 */
export class UnsupportedCompressionError extends Error {
  override readonly name = 'UnsupportedCompressionError';
  constructor(readonly compression: unknown) {
    super(
      `compression ${JSON.stringify(compression)} is not supported: Celeriac compresses ` +
        `with gzip (kombu's application/x-gzip, zlib format) or brotli; ` +
        `bzip2, lzma and zstd are not in Node's zlib`,
    );
  }
}

/**
 * Bytes that are not a pickle this library reads: a truncated stream, an opcode outside
 * the subset Python emits for plain data and exceptions, or an integer JavaScript cannot
 * hold exactly. `offset` is where reading stopped.
 */
export class PickleFormatError extends Error {
  override readonly name = 'PickleFormatError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`pickle at byte ${offset}: ${message}`);
  }
}
