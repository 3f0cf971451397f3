import { CliError } from './errors';
import { EXIT } from './exit-codes';

/** `text` as a whole number of at least 1; else a usage error naming `what` (`--limit`, `n`). */
export function countOf(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new CliError(
      `${what} must be a whole number of at least 1, not ${JSON.stringify(text)}`,
      EXIT.usage,
    );
  }
  return value;
}
