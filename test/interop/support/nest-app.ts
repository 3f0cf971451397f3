import { Provider } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { TaskQueueModule, TaskQueueModuleOptions } from '../../../lib';

/** Nest apps a test file opened; `closeNestApps()` (afterAll) closes them. */
const open = new Set<TestingModule>();

/** A Nest app with TaskQueueModule (and `providers`), initialised: it consumes if `worker` says so. */
export async function nestApp(
  options: TaskQueueModuleOptions,
  providers: Provider[] = [],
): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [TaskQueueModule.forRoot(options)],
    providers,
  }).compile();
  open.add(app);
  await app.init();
  return app;
}

export async function closeNestApps(): Promise<void> {
  const apps = [...open];
  open.clear();
  await Promise.allSettled(apps.map((app) => app.close()));
}
