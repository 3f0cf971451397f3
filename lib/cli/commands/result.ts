import { Command } from 'commander';
import { CommandContext } from '../command-context';
import { positiveNumber } from '../global-options';
import { withSession } from '../session';
import { outcomeOf, reportOutcome, waitForOutcome } from '../task-outcome';

/**
 * `celeriac result <id>`: a task's state and result from the result backend, as
 * `celery result`; `--wait` waits until it is ready.
 */
export function resultCommand(context: CommandContext): Command {
  return new Command('result')
    .description(
      "a task's state and result (celery result); --wait until ready",
    )
    .argument('<id>', 'the task id')
    .option('-w, --wait', 'wait until the task is ready')
    .option(
      '-t, --timeout <seconds>',
      'with --wait: give up after this long (exit 3)',
    )
    .action(
      async (
        id: string,
        flags: { wait?: boolean; timeout?: string },
        command: Command,
      ) => {
        const globals = context.globals(command);
        const timeout =
          flags.timeout === undefined
            ? undefined
            : positiveNumber(flags.timeout, '--timeout');
        await withSession(globals, async ({ client }) => {
          const result = client.result(id);
          const outcome = flags.wait
            ? await waitForOutcome(globals, result, timeout)
            : outcomeOf(id, await result.meta());
          reportOutcome(globals, outcome);
        });
      },
    );
}
