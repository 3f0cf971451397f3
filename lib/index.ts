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
export { Periodic, getPeriodicMetadata } from './decorators/periodic.decorator';
export type {
  PeriodicOptions,
  PeriodicRunOptions,
  ScheduleSpec,
  IntervalSpec,
  CronSpec,
  CatchUpPolicy,
} from './decorators/periodic-options';

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

export { bootstrapBeat } from './scheduler/bootstrap-beat';
export type { BootstrapBeatOptions } from './scheduler/bootstrap-beat';
export { BeatService, BEAT_HEADERS } from './scheduler/beat.service';
export type { BeatOptions } from './scheduler/beat-options';
export { ScheduleRegistry } from './scheduler/schedule-registry';
export type { ScheduleInfo } from './scheduler/schedule-info';
export type { AddScheduleOptions } from './scheduler/add-schedule-options';
export type { Schedule } from './scheduler/schedule';
export { IntervalSchedule } from './scheduler/interval-schedule';
export { CronSchedule } from './scheduler/cron-schedule';
export { createSchedule } from './scheduler/create-schedule';
export {
  InvalidScheduleError,
  DuplicateScheduleError,
  ScheduleNotFoundError,
  BeatConfigurationError,
} from './scheduler/errors';
export type { TickLock, ScheduleState } from './scheduler/tick-lock';

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
