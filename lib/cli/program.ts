import { Command, CommanderError, Option } from 'commander';
import { commandContext } from './command-context';
import { callCommand } from './commands/call';
import { controlCommand } from './commands/control';
import { deadLettersCommand } from './commands/dead-letters';
import { eventsCommand } from './commands/events';
import { inspectCommand } from './commands/inspect';
import { pauseResumeCommands } from './commands/pause-resume';
import { purgeCommand } from './commands/purge';
import { queuesCommand } from './commands/queues';
import { resultCommand } from './commands/result';
import { revokeCommand } from './commands/revoke';
import { schedulesCommand } from './commands/schedules';
import { statusCommand } from './commands/status';
import { CliError } from './errors';
import { EXIT } from './exit-codes';
import { BACKEND_ENV, BROKER_ENV, BROKER_OPTIONS_ENV } from './global-options';
import { colors } from './output';
import { oneLine } from './session';

/** The `celeriac` program: its global options and every command. */
export function buildProgram(version: string): Command {
  const program = new Command('celeriac')
    .description(
      'Operate a Celeriac or Celery fleet: workers, queues, tasks, results, dead letters.',
    )
    .version(version)
    .addOption(
      new Option(
        '-b, --broker <url>',
        'redis://, rediss://, amqp:// or amqps:// URL',
      ).env(BROKER_ENV[0]),
    )
    .addOption(
      new Option(
        '--backend <url>',
        'result backend URL (default: as the module picks)',
      ).env(BACKEND_ENV[0]),
    )
    .addOption(
      new Option(
        '--broker-options <json>',
        'transport options as JSON, like \'{"keyPrefix":"app:"}\'',
      ).env(BROKER_OPTIONS_ENV),
    )
    .option(
      '--connect-timeout <seconds>',
      'how long to try reaching the broker',
      '5',
    )
    .option('--json', 'print JSON for scripts instead of tables')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .showHelpAfterError()
    .addHelpText(
      'after',
      `\nThe broker also comes from ${BROKER_ENV.join(' or ')}, the backend from ${BACKEND_ENV.join(' or ')}.` +
        '\nExit codes: 0 ok, 1 failed, 2 broker unreachable, 3 timeout, 4 no reply, 64 usage.',
    );
  const commands = [
    statusCommand(commandContext),
    inspectCommand(commandContext),
    controlCommand(commandContext),
    queuesCommand(commandContext),
    ...pauseResumeCommands(commandContext),
    purgeCommand(commandContext),
    callCommand(commandContext),
    resultCommand(commandContext),
    revokeCommand(commandContext),
    deadLettersCommand(commandContext),
    schedulesCommand(commandContext),
    eventsCommand(commandContext),
  ];
  for (const command of commands) program.addCommand(command);
  for (const command of [program, ...commands]) command.exitOverride();
  return program;
}

/**
 * Runs the program on `argv` (process.argv's form) and resolves with the exit code.
 * Expected failures print one line on stderr; only an unexpected one shows its stack,
 * and that only with CELERIAC_DEBUG=1.
 */
export async function runCli(argv: string[], version: string): Promise<number> {
  try {
    await buildProgram(version).parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander printed it already (or the help, or the version: exit code 0).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      printError(error.message);
      return error.code;
    }
    printError(`${errorName(error)}${oneLine(error)}`);
    if (process.env.CELERIAC_DEBUG && error instanceof Error) {
      process.stderr.write(`${error.stack}\n`);
    }
    return EXIT.failed;
  }
}

function printError(message: string): void {
  process.stderr.write(`${colors.red('celeriac:')} ${message}\n`);
}

function errorName(error: unknown): string {
  return error instanceof Error && error.name !== 'Error'
    ? `${error.name}: `
    : '';
}
