/**
 * An option the module does not know for what it configures: a misspelled key, or a
 * key of another scheme's broker or backend (`keyPrefix` on an `amqp://` broker). Thrown
 * when the module's options are resolved, at boot, before anything connects.
 */
export class UnknownOptionError extends Error {
  override readonly name = 'UnknownOptionError';
  constructor(
    /** The option as written, e.g. `brokerOptions.keyPrefx`. */
    readonly option: string,
    /** What it was given for, e.g. `the redis:// broker`. */
    readonly target: string,
    /** The options `target` takes. */
    readonly known: readonly string[],
  ) {
    super(
      `${option} is not an option of ${target}; ` +
        (known.length
          ? `its options are ${known.join(', ')}`
          : 'it takes no options'),
    );
  }
}
