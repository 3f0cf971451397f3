import { ModuleMetadata } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { TaskQueueModule, TaskQueueModuleOptions } from '../../lib';
import { MemoryBroker } from '../../lib/transports/memory';
import { uniqueName } from './wait';

/**
 * A Nest app on its own memory broker (so tests in one process never share queues).
 * Returns the app and its broker; the caller closes the app.
 */
export async function memoryApp(
  metadata: ModuleMetadata,
  options: TaskQueueModuleOptions = {},
): Promise<{ app: TestingModule; broker: MemoryBroker; brokerName: string }> {
  const brokerName = uniqueName('mem');
  const app = await Test.createTestingModule({
    imports: [TaskQueueModule.forRoot({ broker: `memory://${brokerName}`, ...options }), ...(metadata.imports ?? [])],
    providers: metadata.providers ?? [],
    controllers: metadata.controllers ?? [],
  }).compile();
  await app.init();
  return { app, broker: MemoryBroker.named(brokerName), brokerName };
}
