import { Command } from 'commander';
import {
  FleetFlags,
  fleetOptionsOf,
  requireReplies,
  withFleetFlags,
} from '../fleet-flags';
import { CommandContext } from '../command-context';
import { colors, emit } from '../output';
import { withSession } from '../session';

/** `celeriac status`: the nodes that answer a ping, as `celery status`. */
export function statusCommand(context: CommandContext): Command {
  return withFleetFlags(
    new Command('status').description(
      'list the workers that answer (Python and Nest), as celery status',
    ),
  ).action(async (flags: FleetFlags, command: Command) => {
    const globals = context.globals(command);
    const replies = await withSession(globals, ({ fleet }) =>
      fleet.ping(fleetOptionsOf(flags)),
    );
    const nodes = Object.keys(requireReplies(replies)).sort();
    emit(globals, { nodes }, () =>
      [
        ...nodes.map(
          (node) => `${colors.green('->')}  ${node}: ${colors.green('OK')}`,
        ),
        '',
        `${nodes.length} ${nodes.length === 1 ? 'node' : 'nodes'} online.`,
      ].join('\n'),
    );
  });
}
