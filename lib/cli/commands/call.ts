import { Command } from 'commander';
import { SendOptions } from '../../index';
import { CommandContext } from '../command-context';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { positiveNumber } from '../global-options';
import { emit } from '../output';
import { withSession } from '../session';
import { reportOutcome, waitForOutcome } from '../task-outcome';

interface CallFlags {
  kwargs?: string;
  queue?: string;
  countdown?: string;
  eta?: string;
  expires?: string;
  priority?: string;
  wait?: boolean;
  timeout?: string;
}

/**
 * `celeriac call <name> [args-json]`: sends a task by name, as `celery call`; with
 * `--wait`, waits for its result and prints it.
 */
export function callCommand(context: CommandContext): Command {
  return new Command('call')
    .description('send a task by name (celery call); --wait for its result')
    .argument('<name>', 'the task name (videos.transcode)')
    .argument('[args-json]', 'positional arguments as a JSON array', '[]')
    .option('-k, --kwargs <json>', 'keyword arguments as a JSON object')
    .option(
      '-q, --queue <queue>',
      'the queue (default: the routes, else celery)',
    )
    .option(
      '--countdown <seconds>',
      'run no sooner than this many seconds from now',
    )
    .option('--eta <iso-date>', 'run no sooner than this time')
    .option(
      '--expires <seconds>',
      'discard it if not started within this many seconds',
    )
    .option('--priority <0-9>', 'its priority')
    .option('-w, --wait', 'wait for the result and print it')
    .option(
      '-t, --timeout <seconds>',
      'with --wait: give up after this long (exit 3)',
    )
    .action(
      async (
        name: string,
        argsJson: string,
        flags: CallFlags,
        command: Command,
      ) => {
        const globals = context.globals(command);
        const args = parseJson(argsJson, 'args-json');
        if (!Array.isArray(args))
          throw usage("args-json must be a JSON array, like '[2, 3]'");
        const kwargs =
          flags.kwargs === undefined
            ? undefined
            : parseJson(flags.kwargs, '--kwargs');
        if (
          kwargs !== undefined &&
          (kwargs === null ||
            typeof kwargs !== 'object' ||
            Array.isArray(kwargs))
        ) {
          throw usage('--kwargs must be a JSON object, like \'{"size": 2}\'');
        }
        const options: SendOptions = {
          kwargs: kwargs as Record<string, unknown> | undefined,
          queue: flags.queue,
          countdown:
            flags.countdown === undefined
              ? undefined
              : nonNegative(flags.countdown, '--countdown'),
          eta: flags.eta,
          expires:
            flags.expires === undefined
              ? undefined
              : positiveNumber(flags.expires, '--expires'),
          priority:
            flags.priority === undefined ? undefined : Number(flags.priority),
        };
        const timeout =
          flags.timeout === undefined
            ? undefined
            : positiveNumber(flags.timeout, '--timeout');
        await withSession(globals, async ({ client }) => {
          const result = await client
            .send(name, args, options)
            .catch((error: unknown) => {
              // Bad input (arguments that are not data, a bad priority or eta) is the user's.
              if (error instanceof TypeError || error instanceof RangeError)
                throw usage(error.message);
              throw error;
            });
          if (!flags.wait) {
            emit(globals, { id: result.id }, ({ id }) => id);
            return;
          }
          reportOutcome(
            globals,
            await waitForOutcome(globals, result, timeout),
          );
        });
      },
    );
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw usage(`${what} is not JSON: ${(error as Error).message}`);
  }
}

function nonNegative(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw usage(`${what} must be a number of seconds`);
  return value;
}

function usage(message: string): CliError {
  return new CliError(message, EXIT.usage);
}
