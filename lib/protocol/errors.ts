/** A message that cannot be understood as a Celery task message. */
export class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError';
}

/**
 * An argument that is not plain data (a class instance, a function, a cycle...).
 * Thrown by the client before anything is sent.
 */
export class ArgumentNotDataError extends TypeError {
  override readonly name = 'ArgumentNotDataError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(
      `${path} ${reason}. Task arguments are data (JSON): pass the record's id ` +
        `(for instance \`event.id\`) and let the task load it fresh.`,
    );
  }
}
