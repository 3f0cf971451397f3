import { Argument, Command, Option } from 'commander';
import {
  BeatConfigurationError,
  ScheduleInfo,
  ScheduleNotFoundError,
} from '../../index';
import { CommandContext } from '../command-context';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { cell, colors, emit, table, truncate } from '../output';
import { withSession } from '../session';

interface ScheduleFlags {
  lockUrl?: string;
  lockPrefix?: string;
}

/**
 * `celeriac schedules <list|pause|resume> [name]`: the fleet's periodic schedules, from
 * the beat store's catalogue (each beat publishes its schedules there), and pausing or
 * resuming one for every beat (its state in the same store).
 */
export function schedulesCommand(context: CommandContext): Command {
  return new Command('schedules')
    .description(
      "the beats' schedules: list them, pause or resume one fleet-wide",
    )
    .addArgument(
      new Argument('<action>', 'what to do').choices([
        'list',
        'pause',
        'resume',
      ]),
    )
    .argument('[name]', 'pause, resume: the schedule')
    .addOption(
      new Option(
        '--lock-url <url>',
        "the beats' store (their beat.lockUrl; default: the broker when it is Redis)",
      ).env('CELERIAC_BEAT_LOCK_URL'),
    )
    .addOption(
      new Option(
        '--lock-prefix <prefix>',
        "its key prefix (the beats' beat.keyPrefix)",
      ).env('CELERIAC_BEAT_KEY_PREFIX'),
    )
    .action(
      async (
        action: string,
        name: string | undefined,
        flags: ScheduleFlags,
        command: Command,
      ) => {
        const globals = context.globals(command);
        if (action !== 'list' && !name) {
          throw new CliError(
            `usage: celeriac schedules ${action} <name>`,
            EXIT.usage,
          );
        }
        const schedules = await withSession(
          globals,
          async ({ schedules }) => {
            try {
              if (action === 'pause') await schedules.pauseSchedule(name!);
              if (action === 'resume') await schedules.resumeSchedule(name!);
              return await schedules.getFleetSchedules();
            } catch (error) {
              if (error instanceof ScheduleNotFoundError)
                throw new CliError(
                  `no schedule "${name}": no beat published one by that name`,
                  EXIT.failed,
                );
              if (error instanceof BeatConfigurationError)
                throw new CliError(
                  `${error.message}; pass --lock-url`,
                  EXIT.usage,
                );
              throw error;
            }
          },
          { lockUrl: flags.lockUrl, keyPrefix: flags.lockPrefix },
        );
        if (action === 'list') {
          emit(globals, schedules, render);
          return;
        }
        const schedule = schedules.find((each) => each.name === name);
        emit(globals, schedule, (info) =>
          info
            ? `${colors.green('✓')} ${info.name}: ${info.paused ? 'paused' : 'running'}`
            : '',
        );
      },
    );
}

function render(schedules: ScheduleInfo[]): string {
  if (schedules.length === 0)
    return colors.dim('- no schedule published by any beat -');
  return table(
    ['name', 'task', 'when', 'state', 'next run', 'last run', 'args'],
    schedules.map((info) => [
      colors.bold(info.name),
      info.task,
      info.description,
      info.paused ? colors.yellow('paused') : colors.green('running'),
      info.nextRunAt?.toISOString(),
      info.lastRunAt?.toISOString(),
      truncate(cell(info.args), 30),
    ]),
  );
}
