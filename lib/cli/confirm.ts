import { createInterface } from 'node:readline/promises';
import { CliError } from './errors';
import { EXIT } from './exit-codes';

/**
 * Asks `question` on the terminal and resolves with true on y/yes. Without a terminal
 * on stdin there is nobody to ask: a usage error that names `--force`.
 */
export async function confirm(
  question: string,
  what: string,
): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new CliError(
      `refusing to ${what} without --force: no terminal to confirm on`,
      EXIT.usage,
    );
  }
  const prompt = createInterface({
    input: process.stdin,
    output: process.stderr,
  });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
