import { Command } from 'commander';
import { CommandContext } from '../command-context';
import { colors, emit } from '../output';
import { withSession } from '../session';

/** `celeriac revoke <id...>`: revokes tasks fleet-wide, as `celery control revoke`. */
export function revokeCommand(context: CommandContext): Command {
  return new Command('revoke')
    .description(
      'revoke tasks: workers skip them, or --terminate them while they run',
    )
    .argument('<ids...>', 'task ids')
    .option('--terminate', 'also stop them if they are running')
    .option('-s, --signal <signal>', 'with --terminate: the signal', 'SIGTERM')
    .action(
      async (
        ids: string[],
        flags: { terminate?: boolean; signal: string },
        command: Command,
      ) => {
        const globals = context.globals(command);
        await withSession(globals, ({ client }) =>
          client.revoke(ids, {
            terminate: flags.terminate ?? false,
            signal: flags.signal,
          }),
        );
        emit(
          globals,
          { revoked: ids, terminate: flags.terminate ?? false },
          ({ revoked }) =>
            revoked
              .map((id) => `${colors.green('✓')} revoked ${id}`)
              .join('\n'),
        );
      },
    );
}
