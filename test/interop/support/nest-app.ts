import { LoggerService, Provider } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';
import { TaskQueueModuleOptions } from '../../../lib';
import { TestApps } from '../../support/test-apps';

/** Nest apps a test file opened; `closeNestApps()` (afterAll) closes them. */
const open = new TestApps();

/**
 * A Nest app with TaskQueueModule (and `providers`), initialised: it consumes if
 * `worker` says so. `logger` receives what Nest's loggers write.
 */
export function nestApp(
  options: TaskQueueModuleOptions,
  providers: Provider[] = [],
  logger?: LoggerService,
): Promise<TestingModule> {
  return open.open(options, { providers, logger });
}

export function closeNestApps(): Promise<void> {
  return open.close();
}
