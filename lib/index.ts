// Celeriac's public API. Everything a user imports comes from here.
export { TaskQueueModule } from './module/task-queue.module';
export type {
  TaskQueueModuleOptions,
  WorkerOptions,
} from './module/task-queue-options';
export { TASK_QUEUE_OPTIONS } from './module/task-queue.module-definition';

export { Task, getTaskMetadata } from './decorators/task.decorator';
export type { TaskOptions } from './decorators/task-options';

export { TaskRegistry, DuplicateTaskError } from './registry/task-registry';
export { ScopedTaskProviderError } from './registry/task-explorer';
export type { RegisteredTask } from './registry/registered-task';

export { TaskClient } from './client/task-client';
export { AsyncResult } from './client/async-result';
export type { SendOptions, GetOptions } from './client/send-options';
export type {
  TaskHandle,
  TaskArgs,
  TaskResult,
  MethodNames,
} from './client/task-handle';
export {
  TaskFailedError,
  TaskRevokedError,
  TaskTimeoutError,
  ResultIgnoredError,
  NotRegisteredError,
} from './client/errors';

export { bootstrapWorker } from './worker/bootstrap-worker';
export type { BootstrapWorkerOptions } from './worker/bootstrap-worker';
export { TaskWorkerService } from './worker/task-worker.service';
export type { TaskWorker } from './worker/task-worker';

export type { Duration } from './common/duration';
export { ArgumentNotDataError, MalformedMessageError } from './protocol/errors';
export type { TaskState } from './protocol/states';
export type { ResultMeta } from './protocol/result-meta';
export type { Transport, Delivery, Consumer } from './transports/transport';
export type { ResultBackend } from './results/result-backend';
export { MemoryBroker } from './transports/memory/memory-broker';
