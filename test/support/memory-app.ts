import { ModuleMetadata } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';
import { TaskQueueModuleOptions } from '../../lib';
import { MemoryBroker } from '../../lib/transports/memory';
import { TestApps } from './test-apps';
import { uniqueName } from './wait';

/** The apps memoryApp opened: jest-setup closes them after every test. */
const openApps = new TestApps();

/** Closes every app a test opened and did not close (even when it failed midway). */
export function closeOpenApps(): Promise<void> {
  return openApps.close();
}

/**
 * A Nest app on its own memory broker (so tests in one process never share queues).
 * Returns the app and its broker; it is closed after the test if the test does not.
 */
export async function memoryApp(
  metadata: ModuleMetadata,
  options: TaskQueueModuleOptions = {},
): Promise<{ app: TestingModule; broker: MemoryBroker; brokerName: string }> {
  if (options.broker !== undefined && typeof options.broker !== 'string')
    throw new TypeError('memoryApp runs on a memory:// URL, not a transport');
  const brokerName =
    options.broker?.replace('memory://', '') ?? uniqueName('mem');
  const app = await openApps.open(
    { broker: `memory://${brokerName}`, ...options },
    metadata,
  );
  return { app, broker: MemoryBroker.named(brokerName), brokerName };
}
