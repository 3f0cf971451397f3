import { Argument, Command } from 'commander';
import { NodeReplies, WorkerTaskInfo } from '../../index';
import { CommandContext } from '../command-context';
import {
  FleetFlags,
  fleetOptionsOf,
  requireReplies,
  withFleetFlags,
} from '../fleet-flags';
import { cell, colors, emit, table, truncate } from '../output';
import { withSession } from '../session';

/** The inspect commands the CLI offers, by their CLI name, with Celery's method name. */
const INSPECT_METHODS: Record<string, string> = {
  ping: 'ping',
  active: 'active',
  reserved: 'reserved',
  scheduled: 'scheduled',
  registered: 'registered',
  stats: 'stats',
  'active-queues': 'active_queues',
  revoked: 'revoked',
};

/** `celeriac inspect <what>`: asks every worker (or `--destination`), as celery inspect. */
export function inspectCommand(context: CommandContext): Command {
  return withFleetFlags(
    new Command('inspect')
      .description('ask the workers what they run, hold, know (celery inspect)')
      .addArgument(
        new Argument('<what>', 'what to ask').choices(
          Object.keys(INSPECT_METHODS),
        ),
      ),
  ).action(async (what: string, flags: FleetFlags, command: Command) => {
    const globals = context.globals(command);
    const method = INSPECT_METHODS[what];
    const replies = requireReplies(
      await withSession(globals, ({ fleet }) =>
        fleet.inspect(method, {}, fleetOptionsOf(flags)),
      ),
    );
    emit(globals, replies, (data) => render(method, data));
  });
}

function render(method: string, replies: NodeReplies<unknown>): string {
  const nodes = Object.keys(replies).sort();
  switch (method) {
    case 'ping':
      return table(
        ['node', 'reply'],
        nodes.map((node) => [
          node,
          colors.green(cell((replies[node] as { ok?: unknown }).ok)),
        ]),
      );
    case 'active':
    case 'reserved':
      return taskTable(
        nodes.flatMap((node) =>
          listOf<WorkerTaskInfo>(replies[node]).map((task) => ({ node, task })),
        ),
      );
    case 'scheduled':
      return taskTable(
        nodes.flatMap((node) =>
          listOf<{ eta: string | null; request: WorkerTaskInfo }>(
            replies[node],
          ).map(({ eta, request }) => ({ node, task: request, eta })),
        ),
        true,
      );
    case 'stats':
      return table(
        ['node', 'pid', 'concurrency', 'uptime (s)', 'tasks run'],
        nodes.map((node) => {
          const stats = (replies[node] ?? {}) as {
            pid?: number;
            uptime?: number;
            pool?: { 'max-concurrency'?: number };
            total?: Record<string, number>;
          };
          const total = Object.values(stats.total ?? {}).reduce(
            (a, b) => a + b,
            0,
          );
          return [
            node,
            stats.pid,
            stats.pool?.['max-concurrency'],
            stats.uptime,
            total,
          ];
        }),
      );
    case 'active_queues':
      return table(
        ['node', 'queues'],
        nodes.map((node) => [
          node,
          listOf<{ name: string }>(replies[node])
            .map((queue) => queue.name)
            .join('\n'),
        ]),
      );
    default: // registered, revoked: lists of names
      return table(
        ['node', method],
        nodes.map((node) => [node, listOf<string>(replies[node]).join('\n')]),
      );
  }
}

function taskTable(
  rows: { node: string; task: WorkerTaskInfo; eta?: string | null }[],
  withEta = false,
): string {
  if (rows.length === 0) return colors.dim('- empty -');
  return table(
    ['node', 'id', 'name', 'args', 'kwargs', ...(withEta ? ['eta'] : [])],
    rows.map(({ node, task, eta }) => [
      node,
      task.id,
      task.name,
      truncate(cell(task.args), 40),
      truncate(cell(task.kwargs), 40),
      ...(withEta ? [eta] : []),
    ]),
  );
}

function listOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}
