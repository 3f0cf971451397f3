import { ModuleMetadata } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { TaskQueueModule, TaskQueueModuleOptions } from '../../lib';
import { MemoryBroker } from '../../lib/transports/memory';
import { uniqueName } from './wait';

const openApps = new Set<TestingModule>();

/** Closes every app a test opened and did not close (even when it failed midway). */
export async function closeOpenApps(): Promise<void> {
  const apps = [...openApps];
  openApps.clear();
  await Promise.allSettled(apps.map((app) => app.close()));
}

/**
 * A Nest app on its own memory broker (so tests in one process never share queues).
 * Returns the app and its broker; the caller closes the app.
 */
export async function memoryApp(
  metadata: ModuleMetadata,
  options: TaskQueueModuleOptions = {},
): Promise<{ app: TestingModule; broker: MemoryBroker; brokerName: string }> {
  const brokerName =
    options.broker?.replace('memory://', '') ?? uniqueName('mem');
  const app = await Test.createTestingModule({
    imports: [
      TaskQueueModule.forRoot({ broker: `memory://${brokerName}`, ...options }),
      ...(metadata.imports ?? []),
    ],
    providers: metadata.providers ?? [],
    controllers: metadata.controllers ?? [],
  }).compile();
  openApps.add(app);
  const close = app.close.bind(app);
  app.close = async () => {
    openApps.delete(app);
    await close();
  };
  await app.init();
  return { app, broker: MemoryBroker.named(brokerName), brokerName };
}
