import { Command } from 'commander';
import { CommandContext } from '../command-context';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import {
  FleetFlags,
  fleetOptionsOf,
  requireReplies,
  withFleetFlags,
} from '../fleet-flags';
import { emit, repliesTable } from '../output';
import { withSession } from '../session';

/**
 * `celeriac pause <queue>` / `celeriac resume <queue>`: every worker that answers stops
 * (starts) consuming the queue, through QueueAdmin (cancel_consumer / add_consumer).
 */
export function pauseResumeCommands(context: CommandContext): Command[] {
  const make = (verb: 'pause' | 'resume', description: string) =>
    withFleetFlags(
      new Command(verb)
        .description(description)
        .argument('<queue>', 'the queue'),
    ).action(async (queue: string, flags: FleetFlags, command: Command) => {
      const globals = context.globals(command);
      const replies = requireReplies(
        await withSession(globals, ({ queues }) =>
          queues[verb](queue, fleetOptionsOf(flags)),
        ),
      );
      emit(globals, replies, repliesTable);
      if (Object.values(replies).some((reply) => reply?.error !== undefined)) {
        throw new CliError(`a node could not ${verb} ${queue}`, EXIT.failed);
      }
    });
  return [
    make('pause', 'every worker stops consuming a queue (cancel_consumer)'),
    make('resume', 'every worker consumes a queue again (add_consumer)'),
  ];
}
