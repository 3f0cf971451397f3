import { AsyncResult, ResultMeta, TaskTimeoutError } from '../index';
import { CliError } from './errors';
import { EXIT } from './exit-codes';
import { GlobalOptions } from './global-options';
import { cell, colors, emit } from './output';
import { withProgress } from './progress';

/** A task's state as `call --wait` and `result` print it (`--json`: this object). */
export interface TaskOutcome {
  id: string;
  state: string;
  result?: unknown;
  traceback?: string | null;
  date_done?: string | null;
}

/**
 * Waits for `result` (up to `timeoutSeconds`, or as long as it takes), with a progress
 * line, and reads its meta. A wait that runs out is a CliError with exit code 3.
 */
export async function waitForOutcome(
  globals: GlobalOptions,
  result: AsyncResult,
  timeoutSeconds: number | undefined,
): Promise<TaskOutcome> {
  await withProgress(globals, `waiting for ${result.id}`, async (progress) => {
    const poll = setInterval(() => {
      void result.state().then(
        (state) => progress.update(`waiting for ${result.id}: ${state}`),
        () => undefined,
      );
    }, 1000);
    try {
      await result.get({ timeout: timeoutSeconds, propagate: false });
    } catch (error) {
      if (error instanceof TaskTimeoutError) {
        throw new CliError(
          `task ${result.id} was not ready within ${timeoutSeconds} s`,
          EXIT.timeout,
        );
      }
      throw error;
    } finally {
      clearInterval(poll);
    }
  });
  return outcomeOf(result.id, await result.meta());
}

export function outcomeOf(
  id: string,
  meta: ResultMeta | undefined,
): TaskOutcome {
  if (!meta) return { id, state: 'PENDING' };
  return {
    id,
    state: meta.status,
    result: meta.result,
    traceback: meta.traceback,
    date_done: meta.date_done,
  };
}

/** Prints the outcome; a task that failed or was revoked then fails the command (exit 1). */
export function reportOutcome(
  globals: GlobalOptions,
  outcome: TaskOutcome,
): void {
  emit(globals, outcome, render);
  if (outcome.state === 'FAILURE' || outcome.state === 'REVOKED') {
    throw new CliError(
      `task ${outcome.id} ended in ${outcome.state}`,
      EXIT.failed,
    );
  }
}

function render(outcome: TaskOutcome): string {
  const lines = [`${colors.bold(outcome.id)}  ${stateColour(outcome.state)}`];
  if (outcome.state === 'FAILURE') {
    const error = (outcome.result ?? {}) as {
      exc_type?: string;
      exc_message?: unknown;
    };
    const message = Array.isArray(error.exc_message)
      ? error.exc_message.map(cell).join(', ')
      : cell(error.exc_message);
    lines.push(colors.red(`${error.exc_type ?? 'Error'}: ${message}`));
    if (outcome.traceback) lines.push(colors.dim(outcome.traceback.trimEnd()));
  } else if (outcome.state !== 'PENDING') {
    lines.push(cell(outcome.result));
  }
  return lines.join('\n');
}

function stateColour(state: string): string {
  if (state === 'SUCCESS') return colors.green(state);
  if (state === 'FAILURE' || state === 'REVOKED') return colors.red(state);
  return colors.yellow(state);
}
