import { ExitCode } from './exit-codes';

/**
 * An expected failure of a `celeriac` command: printed as one line on stderr, no stack,
 * and the process exits with `code`.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly code: ExitCode,
  ) {
    super(message);
  }
}
