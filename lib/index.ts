// Celeriac's public API. Everything a user imports comes from here.
export { TaskQueueModule } from './module/task-queue.module';
export type {
  TaskQueueModuleOptions,
  WorkerOptions,
} from './module/task-queue-options';
export { TASK_QUEUE_OPTIONS } from './module/task-queue.module-definition';

export { Task, getTaskMetadata } from './decorators/task.decorator';
export type {
  TaskOptions,
  RetryOptions,
  ErrorClass,
  RateLimit,
} from './decorators/task-options';
export {
  OnTaskSuccess,
  OnTaskFailure,
  OnTaskRetry,
} from './decorators/task-hooks.decorator';

export { TaskRegistry, DuplicateTaskError } from './registry/task-registry';
export { ScopedTaskProviderError } from './registry/task-explorer';
export type { RegisteredTask } from './registry/registered-task';
export type {
  TaskEvent,
  TaskSuccessEvent,
  TaskFailureEvent,
  TaskRetryEvent,
} from './registry/task-hooks';
export { TASK_CONTEXT_TYPE } from './registry/task-invoker';

export { TaskClient } from './client/task-client';
export { AsyncResult } from './client/async-result';
export type {
  SendOptions,
  GetOptions,
  RevokeOptions,
} from './client/send-options';
export { DeadLetters } from './client/dead-letters';
export { RevokeNotSupportedError } from './client/revoke';
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
export { TaskContext } from './worker/task-context';
export type { CurrentTask, RetryRequest } from './worker/task-context';
export {
  UnrecoverableError,
  SoftTimeLimitExceeded,
  TimeLimitExceeded,
  MaxRetriesExceededError,
  Retry,
  InvalidTaskOptionError,
} from './worker/errors';

export type { Duration } from './common/duration';
export { ArgumentNotDataError, MalformedMessageError } from './protocol/errors';
export type { TaskState } from './protocol/states';
export type { ResultMeta } from './protocol/result-meta';
export type {
  Transport,
  Delivery,
  Consumer,
  DeadLetter,
  DeadLetterAccess,
} from './transports/transport';
export type {
  ControlBus,
  ControlMessage,
  ControlSubscription,
} from './transports/control-bus';
export type { ResultBackend } from './results/result-backend';
export type { RevocationStore, RevokedTask } from './results/revocation-store';
export type { RateLimiter } from './rate-limit/rate-limiter';
export type { Rate } from './rate-limit/rate';
export { MemoryBroker } from './transports/memory/memory-broker';
