import { Command } from 'commander';
import { CommandContext } from '../command-context';
import { confirm } from '../confirm';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { colors, emit } from '../output';
import { withProgress } from '../progress';
import { withSession } from '../session';

/**
 * `celeriac purge <queue...>`: removes what waits in the queues (QueueAdmin.purge).
 * Asks first, unless `--force`; without a terminal to ask on, refuses.
 */
export function purgeCommand(context: CommandContext): Command {
  return new Command('purge')
    .description(
      'remove every message waiting in the queues (asks unless --force)',
    )
    .argument('<queues...>', 'the queues to empty')
    .option('-f, --force', 'do not ask')
    .action(
      async (
        queues: string[],
        flags: { force?: boolean },
        command: Command,
      ) => {
        const globals = context.globals(command);
        const purged = await withSession(globals, async (session) => {
          if (!flags.force) {
            const depths = await session.queues.depths(queues);
            const waiting = depths.reduce(
              (sum, depth) => sum + depth.ready + (depth.delayed ?? 0),
              0,
            );
            const sure = await confirm(
              `Purge ${waiting} message(s) from ${queues.join(', ')}? This cannot be undone.`,
              'purge',
            );
            if (!sure)
              throw new CliError(
                'purge cancelled: nothing removed',
                EXIT.failed,
              );
          }
          const counts: Record<string, number> = {};
          await withProgress(globals, 'purging', async (progress) => {
            for (const queue of queues) {
              progress.update(`purging ${queue}`);
              counts[queue] = await session.queues.purge(queue);
            }
          });
          return counts;
        });
        emit(globals, { purged }, ({ purged }) =>
          Object.entries(purged)
            .map(
              ([queue, count]) =>
                `${colors.green('✓')} ${queue}: ${count} message(s) removed`,
            )
            .join('\n'),
        );
      },
    );
}
