import { Command } from 'commander';
import { QueueDepth } from '../../index';
import { CommandContext } from '../command-context';
import { FleetFlags, fleetOptionsOf, withFleetFlags } from '../fleet-flags';
import { colors, emit, table } from '../output';
import { withProgress } from '../progress';
import { withSession } from '../session';

/** One queue as `celeriac queues` shows it. */
export interface QueueRow extends QueueDepth {
  /** The workers that answered and consume it (`inspect active_queues`). */
  workers: string[];
  /** Its dead letters; null where the broker keeps none. */
  deadLetters: number | null;
}

/**
 * `celeriac queues [queue...]`: what waits in each queue, by priority where the broker
 * keeps them apart, its consumers (RabbitMQ counts them; the workers that answer say
 * which they consume), its dead letters. Without names: the queues the fleet consumes.
 */
export function queuesCommand(context: CommandContext): Command {
  return withFleetFlags(
    new Command('queues')
      .description(
        'what waits in each queue, who consumes it, its dead letters',
      )
      .argument(
        '[queues...]',
        'queues to show (default: those the workers consume, or celery)',
      ),
  ).action(async (names: string[], flags: FleetFlags, command: Command) => {
    const globals = context.globals(command);
    const rows = await withSession(globals, (session) =>
      withProgress(globals, 'asking the broker and the workers', async () => {
        const consumed = await session.queues.consumedQueues(
          fleetOptionsOf(flags),
        );
        const queues = names.length
          ? names
          : consumed.length
            ? consumed.map((each) => each.queue)
            : ['celery'];
        const depths = await session.queues.depths(queues);
        return Promise.all(
          depths.map(async (depth): Promise<QueueRow> => ({
            ...depth,
            workers:
              consumed.find((each) => each.queue === depth.queue)?.nodes ?? [],
            deadLetters: await session.deadLetters
              .count(depth.queue)
              .catch(() => null),
          })),
        );
      }),
    );
    emit(globals, rows, render);
  });
}

function render(rows: QueueRow[]): string {
  return table(
    [
      'queue',
      'ready',
      'by priority',
      'delayed',
      'consumers',
      'workers',
      'dead letters',
    ],
    rows.map((row) => [
      colors.bold(row.queue),
      row.ready > 0 ? colors.yellow(String(row.ready)) : '0',
      row.byPriority
        ? Object.entries(row.byPriority)
            .filter(([, count]) => count > 0)
            .map(([priority, count]) => `${priority}: ${count}`)
            .join(', ')
        : '',
      row.delayed,
      row.consumers,
      row.workers.join('\n'),
      row.deadLetters ? colors.red(String(row.deadLetters)) : row.deadLetters,
    ]),
  );
}
