import { Argument, Command } from 'commander';
import { DeadLetterSummary, summarizeDeadLetter } from '../../index';
import { CommandContext } from '../command-context';
import { confirm } from '../confirm';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { countOf } from '../whole-number';
import { cell, colors, emit, table, truncate } from '../output';
import { withSession } from '../session';

interface DeadLetterFlags {
  limit?: string;
  force?: boolean;
}

/** A dead letter as `dead-letters list --json` prints it. */
export type DeadLetterRow = DeadLetterSummary;

/**
 * `celeriac dead-letters <list|replay|drop> <queue>`: the broker's dead letters of a
 * queue (DeadLetters): look at them, send them back to the queue, or delete them
 * (asks unless --force).
 */
export function deadLettersCommand(context: CommandContext): Command {
  return new Command('dead-letters')
    .description(
      "a queue's dead letters: list, replay onto the queue, or drop them",
    )
    .addArgument(
      new Argument('<action>', 'what to do').choices([
        'list',
        'replay',
        'drop',
      ]),
    )
    .argument('<queue>', 'the queue whose dead letters')
    .option(
      '-n, --limit <count>',
      'at most this many, oldest first (list: default 100)',
    )
    .option('-f, --force', 'drop: do not ask')
    .action(
      async (
        action: string,
        queue: string,
        flags: DeadLetterFlags,
        command: Command,
      ) => {
        const globals = context.globals(command);
        const limit =
          flags.limit === undefined
            ? undefined
            : countOf(flags.limit, '--limit');
        await withSession(globals, async ({ deadLetters }) => {
          if (action === 'list') {
            const letters = await deadLetters.list(queue, limit ?? 100);
            emit(globals, letters.map(summarizeDeadLetter), render);
            return;
          }
          if (action === 'drop' && !flags.force) {
            const count = await deadLetters.count(queue);
            const shown = limit === undefined ? count : Math.min(limit, count);
            if (
              !(await confirm(
                `Drop ${shown} dead letter(s) of ${queue}?`,
                'drop dead letters',
              ))
            ) {
              throw new CliError(
                'drop cancelled: nothing removed',
                EXIT.failed,
              );
            }
          }
          const moved =
            action === 'replay'
              ? await deadLetters.replay(queue, limit)
              : await deadLetters.drop(queue, limit);
          const key = action === 'replay' ? 'replayed' : 'dropped';
          emit(
            globals,
            { queue, [key]: moved },
            () =>
              `${colors.green('✓')} ${queue}: ${moved} dead letter(s) ${key}`,
          );
        });
      },
    );
}

function render(rows: DeadLetterRow[]): string {
  if (rows.length === 0) return colors.dim('- no dead letters -');
  return table(
    ['id', 'task', 'reason', 'at', 'args'],
    rows.map((row) => [
      row.id ?? colors.red('(undecodable)'),
      row.task,
      truncate(
        row.decodeError ? `${row.reason}: ${row.decodeError}` : row.reason,
        50,
      ),
      row.at,
      truncate(cell(row.args), 40),
    ]),
  );
}
