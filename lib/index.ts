// Celeriac's public API. Everything a user imports comes from here.
export { TaskQueueModule } from './module/task-queue.module';
export type {
  TaskQueueModuleOptions,
  WorkerOptions,
} from './options/module-options';
export type { PoolOptions } from './options/pool-options';
export type {
  BrokerOptions,
  BackendOptions,
  RedisBrokerOptions,
  RedisBrokerLogger,
  AmqpBrokerOptions,
  AmqpBrokerLogger,
  AmqpBrokerQueueOptions,
  RedisBackendOptions,
  RpcBackendOptions,
  PostgresBackendOptions,
} from './options/connection-options';
export type { TlsOptions } from './common/tls-options';
export type { RedisSentinelOptions } from './common/redis-sentinel-options';
export { UnknownOptionError } from './options/errors';
export type {
  RouteFunction,
  RouteMap,
  RouteTarget,
  TaskRoute,
  TaskRoutes,
} from './options/route-options';
export { TASK_QUEUE_OPTIONS } from './module/task-queue.module-definition';

export { Task, getTaskMetadata } from './decorators/task.decorator';
export { Arg, Kwargs } from './decorators/task-arguments.decorator';
export type {
  TaskOptions,
  RetryOptions,
  ErrorClass,
  RateLimit,
  TaskCompression,
} from './options/task-options';
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
} from './options/periodic-options';

export { TaskRegistry } from './registry/task.registry';
export {
  DuplicateTaskError,
  ScopedTaskProviderError,
  InvalidTaskOptionError,
} from './registry/errors';
export type { RegisteredTask } from './registry/registered-task';
export type {
  TaskEvent,
  TaskSuccessEvent,
  TaskFailureEvent,
  TaskRetryEvent,
} from './registry/task-hooks.service';
export { TASK_CONTEXT_TYPE } from './registry/task-invoker';

export { TaskClient } from './client/task-client.service';
export { AsyncResult } from './client/async-result';
export { GroupResult } from './client/group-result';
export { Signature } from './client/signature';
export type { SignatureOptions } from './client/signature';
export { chain, group, chord } from './client/canvas';
export type { ErrbackError, ErrbackRequest } from './client/errback-types';
export type { ResultOf } from './client/canvas';
export type { SignatureDict } from './protocol/signature';
export type {
  SendOptions,
  GetOptions,
  RevokeOptions,
} from './client/send-options';
export type {
  TaskMap,
  MappedTaskName,
  MappedTaskArgs,
  MappedTaskResult,
  UnmappedTaskName,
} from './client/task-map';
export { DeadLetters } from './client/dead-letters.service';
export { summarizeDeadLetter } from './client/dead-letter-summary';
export type { DeadLetterSummary } from './client/dead-letter-summary';
export { FleetControl } from './client/fleet-control.service';
export { QueueAdmin } from './client/queue-admin.service';
export type {
  ConsumedQueue,
  ConsumerReply,
} from './client/queue-admin.service';
export type {
  FleetCallOptions,
  InspectReplies,
  NodeReplies,
  WorkerTaskInfo,
} from './client/fleet-control.service';
export {
  TaskEvents,
  ofType,
  fromNode,
  ofTask,
} from './events/task-events.service';
export { FleetState } from './events/fleet-state';
export type { WorkerInfo, TaskInfo } from './events/fleet-state';
export type { TaskEventFields, TaskEventState } from './events/task-record';
export { isTaskEvent, isWorkerEvent } from './events/celery-event';
export type {
  CeleryEvent,
  CeleryEventType,
  EventOfType,
  EventBase,
  CeleryWorkerEvent,
  CeleryTaskEvent,
  TaskSentEvent,
  TaskMessageFields,
  TaskReceivedEvent,
  TaskStartedEvent,
  TaskSucceededEvent,
  TaskFailedEvent,
  TaskRetriedEvent,
  TaskRevokedEvent,
  TaskRejectedEvent,
} from './events/celery-event';
export { MessageTooLargeError, NodeNameInUseError } from './transports/errors';
export { InvalidNodeNameError } from './worker/control/errors';
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
  RevokeNotSupportedError,
  NoControlBusError,
  InvalidRouteError,
  CanvasError,
  QueueAdminNotSupportedError,
} from './client/errors';

export { bootstrapWorker } from './worker/bootstrap-worker';
export type { BootstrapWorkerOptions } from './worker/bootstrap-worker';
export { TaskWorkerService } from './worker/task-worker.service';
export type { TaskWorker } from './worker/task-worker';
export { TaskContext } from './context/task-context.service';
export type { CurrentTask, RetryRequest } from './context/task-context.service';
export { TaskLogger } from './context/task-logger.service';
export { JsonLogger } from './logging/json-logger';
export type { JsonLogEntry, JsonLoggerOptions } from './logging/json-logger';
export {
  UnrecoverableError,
  SoftTimeLimitExceeded,
  TimeLimitExceeded,
  MaxRetriesExceededError,
  Retry,
} from './worker/errors';
export { WorkerLostError } from './worker/pool/errors';

export { bootstrapBeat } from './scheduler/bootstrap-beat';
export type { BootstrapBeatOptions } from './scheduler/bootstrap-beat';
export { BeatService, BEAT_HEADERS } from './scheduler/beat.service';
export type { BeatOptions } from './options/beat-options';
export { ScheduleRegistry } from './scheduler/schedule.registry';
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

export type { Duration } from './common/duration';
export {
  ArgumentNotDataError,
  MalformedMessageError,
  ResultNotDataError,
  UnsupportedCompressionError,
} from './protocol/errors';
export type { TaskState } from './protocol/states';
export type { ResultMeta } from './protocol/result-meta';
// The extension point: an app's own broker or result backend (docs/extending.md).
export type {
  TaskMessage,
  TaskHeaders,
  TaskProperties,
} from './protocol/message';
export type {
  Transport,
  ConsumeOptions,
  Delivery,
  Consumer,
  DeadLetter,
  DeadLetterAccess,
  QueuePurge,
  QueueDepth,
  QueueInspection,
  ConnectionState,
} from './transports/transport';
export type { ConnectionCheck } from './transports/connection-check';
export type {
  ControlBus,
  ControlMessage,
  ControlReply,
  ControlReplyTo,
  ControlSubscription,
  SubscribeControlOptions,
  CallControlOptions,
} from './transports/control-bus';
export type { ResultBackend, StoreContext } from './results/result-backend';
export type { RevocationStore, RevokedTask } from './results/revocation-store';
export { RedisUnavailableError } from './transports/redis/errors';
export { RedisConfigurationError } from './drivers/redis/errors';
export {
  AmqpUnavailableError,
  AmqpConfigurationError,
} from './drivers/amqp/errors';

export type {
  MetricsOptions,
  EventOptions,
  MetricsRegistry,
  QueueDepthOptions,
  TracingOptions,
  TracerProviderLike,
  HealthOptions,
} from './options/observability-options';
export { TaskQueueMetrics } from './metrics/task-queue-metrics.service';
export { TaskQueueMetricsController } from './metrics/task-queue-metrics.controller';
export { SENT_AT_HEADER } from './metrics/task-metrics';
export { TaskQueueHealth } from './health/task-queue-health.service';
export { TaskQueueHealthIndicator } from './health/task-queue-health-indicator.service';
export type { TaskQueueHealthReport } from './health/health-report';
export { TaskQueueUnhealthyError } from './health/errors';

export { TaskQueueDashboardModule } from './dashboard/task-queue-dashboard.module';
export type {
  DashboardHistoryOptions,
  TaskQueueDashboardOptions,
} from './dashboard/dashboard-options';
export type { WorkerView } from './dashboard/worker-view';
