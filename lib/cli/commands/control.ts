import { Argument, Command } from 'commander';
import { CommandContext } from '../command-context';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { countOf } from '../whole-number';
import {
  FleetFlags,
  fleetOptionsOf,
  requireReplies,
  withFleetFlags,
} from '../fleet-flags';
import { emit, repliesTable } from '../output';
import { withSession } from '../session';

/** A control command: Celery's method name and how its CLI arguments map to its own. */
interface ControlSpec {
  method: string;
  usage: string;
  args(values: string[]): Record<string, unknown>;
  /** Celery's worker does not reply to it (shutdown). */
  noReply?: boolean;
}

const CONTROL: Record<string, ControlSpec> = {
  'rate-limit': {
    method: 'rate_limit',
    usage: '<task> <rate>  (rate: 10/s, 100/m, 0 for none)',
    args: ([task_name, rate_limit]) =>
      required({ task_name, rate_limit }, 'rate-limit <task> <rate>'),
  },
  'time-limit': {
    method: 'time_limit',
    usage: '<task> <soft> [hard]  (seconds)',
    args: ([task_name, soft, hard]) => ({
      ...required(
        { task_name, soft: seconds(soft) },
        'time-limit <task> <soft> [hard]',
      ),
      hard: hard === undefined ? null : seconds(hard),
    }),
  },
  'add-consumer': {
    method: 'add_consumer',
    usage: '<queue>',
    args: ([queue]) => required({ queue }, 'add-consumer <queue>'),
  },
  'cancel-consumer': {
    method: 'cancel_consumer',
    usage: '<queue>',
    args: ([queue]) => required({ queue }, 'cancel-consumer <queue>'),
  },
  'pool-grow': {
    method: 'pool_grow',
    usage: '[n]  (default 1)',
    args: ([n]) => ({ n: n === undefined ? 1 : countOf(n, 'n') }),
  },
  'pool-shrink': {
    method: 'pool_shrink',
    usage: '[n]  (default 1)',
    args: ([n]) => ({ n: n === undefined ? 1 : countOf(n, 'n') }),
  },
  shutdown: { method: 'shutdown', usage: '', args: () => ({}), noReply: true },
  'enable-events': { method: 'enable_events', usage: '', args: () => ({}) },
  'disable-events': { method: 'disable_events', usage: '', args: () => ({}) },
};

/** `celeriac control <command> [args...]`: changes the workers, as celery control. */
export function controlCommand(context: CommandContext): Command {
  return withFleetFlags(
    new Command('control')
      .description('change the workers at run time (celery control)')
      .addArgument(
        new Argument('<command>', 'what to do').choices(Object.keys(CONTROL)),
      )
      .argument('[args...]', 'its arguments (see below)')
      .addHelpText(
        'after',
        '\nArguments:\n' +
          Object.entries(CONTROL)
            .map(([name, spec]) => `  ${name} ${spec.usage}`)
            .join('\n'),
      ),
  ).action(
    async (
      name: string,
      values: string[],
      flags: FleetFlags,
      command: Command,
    ) => {
      const globals = context.globals(command);
      const spec = CONTROL[name];
      const args = spec.args(values);
      const options = fleetOptionsOf(flags);
      const replies = await withSession(globals, ({ fleet }) =>
        fleet.broadcast(spec.method, args, {
          ...options,
          reply: !spec.noReply,
        }),
      );
      if (spec.noReply) {
        emit(globals, { sent: spec.method }, () => `${spec.method} sent`);
        return;
      }
      requireReplies(replies);
      emit(globals, replies, repliesTable);
      const failed = Object.values(replies).some(
        (reply) => reply && typeof reply === 'object' && 'error' in reply,
      );
      if (failed)
        throw new CliError(
          `a node answered ${spec.method} with an error`,
          EXIT.failed,
        );
    },
  );
}

function required<T extends Record<string, unknown>>(
  values: T,
  usage: string,
): T {
  if (
    Object.values(values).some((value) => value === undefined || value === '')
  ) {
    throw new CliError(`usage: celeriac control ${usage}`, EXIT.usage);
  }
  return values;
}

function seconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new CliError(
      `a time limit is a number of seconds, not ${JSON.stringify(text)}`,
      EXIT.usage,
    );
  }
  return value;
}
