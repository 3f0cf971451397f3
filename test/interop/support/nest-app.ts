import { LoggerService, Provider } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { TaskQueueModule, TaskQueueModuleOptions } from '../../../lib';

/** Nest apps a test file opened; `closeNestApps()` (afterAll) closes them. */
const open = new Set<TestingModule>();

/**
 * A Nest app with TaskQueueModule (and `providers`), initialised: it consumes if
 * `worker` says so. `logger` receives what Nest's loggers write.
 */
export async function nestApp(
  options: TaskQueueModuleOptions,
  providers: Provider[] = [],
  logger?: LoggerService,
): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [TaskQueueModule.forRoot(options)],
    providers,
  }).compile();
  open.add(app);
  if (logger) app.useLogger(logger);
  await app.init();
  return app;
}

export async function closeNestApps(): Promise<void> {
  const apps = [...open];
  open.clear();
  await Promise.allSettled(apps.map((app) => app.close()));
}

/** A Nest logger that keeps what it is told (`warn` and `error` lines), and prints nothing. */
export class CollectingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(): void {}
  warn(message: unknown): void {
    this.lines.push(`warn: ${String(message)}`);
  }
  error(message: unknown): void {
    this.lines.push(`error: ${String(message)}`);
  }
}
