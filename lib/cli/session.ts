import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  BeatOptions,
  DeadLetters,
  FleetControl,
  QueueAdmin,
  ScheduleRegistry,
  TaskClient,
  TaskEvents,
  TaskQueueModule,
  UnknownOptionError,
} from '../index';
import { CliError } from './errors';
import { EXIT } from './exit-codes';
import { GlobalOptions, redactUrl } from './global-options';

/** The package's services a command uses, on one connection to the broker. */
export interface CliSession {
  fleet: FleetControl;
  client: TaskClient;
  queues: QueueAdmin;
  deadLetters: DeadLetters;
  schedules: ScheduleRegistry;
  events: TaskEvents;
}

/**
 * Boots Celeriac's module (no worker, no beat, Nest's logs off) with `failFast`, runs
 * `work` with its services and closes it. A broker or backend that cannot be reached
 * within the connect timeout is a CliError with exit code 2.
 */
export async function withSession<T>(
  globals: GlobalOptions,
  work: (session: CliSession) => Promise<T>,
  beat: BeatOptions = {},
): Promise<T> {
  @Module({
    imports: [
      TaskQueueModule.forRoot({
        broker: globals.broker,
        backend: globals.backend,
        brokerOptions: globals.brokerOptions,
        failFast: { timeout: globals.connectTimeoutSeconds },
        // Never runs here; gives ScheduleRegistry the store beats share.
        beat: { ...beat, run: false },
      }),
    ],
  })
  class CeleriacCliModule {}

  let app;
  try {
    app = await withinConnectTimeout(
      NestFactory.createApplicationContext(CeleriacCliModule, {
        logger: false,
        abortOnError: false,
      }),
      globals.connectTimeoutSeconds,
    );
  } catch (error) {
    if (error instanceof UnknownOptionError) {
      throw new CliError(oneLine(error), EXIT.usage);
    }
    throw new CliError(
      `cannot connect to ${redactUrl(globals.broker)}` +
        (globals.backend ? ` (backend ${redactUrl(globals.backend)})` : '') +
        `: ${oneLine(error)}`,
      EXIT.unreachable,
    );
  }
  try {
    return await work({
      fleet: app.get(FleetControl),
      client: app.get(TaskClient),
      queues: app.get(QueueAdmin),
      deadLetters: app.get(DeadLetters),
      schedules: app.get(ScheduleRegistry),
      events: app.get(TaskEvents),
    });
  } finally {
    await app.close().catch(() => undefined);
  }
}

/** An error's message on one line. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * `failFast` bounds the broker's and the backend's connection checks (rpc://'s reply
 * queue too); as a last net, the CLI holds the whole boot to the connect timeout, plus
 * a second for the boot itself. What is still connecting then is abandoned: the
 * process exits after the command.
 */
function withinConnectTimeout<T>(
  boot: Promise<T>,
  seconds: number,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no connection within ${seconds} s`)),
      seconds * 1000 + 1000,
    );
  });
  return Promise.race([boot, limit]).finally(() => clearTimeout(timer));
}
