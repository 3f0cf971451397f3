/**
 * Span attribute names: OpenTelemetry's messaging semantic conventions, and the
 * `celery.*` names opentelemetry-instrumentation-celery sets, so that Nest's spans and
 * Python's read alike in one trace.
 */
export const ATTR = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destination: 'messaging.destination.name',
  messageId: 'messaging.message.id',
  routingKey: 'messaging.rabbitmq.destination.routing_key',
  action: 'celery.action',
  taskName: 'celery.task_name',
  state: 'celery.state',
  retries: 'celery.retries',
  retryReason: 'celery.retry.reason',
  retryEta: 'celery.retry.eta',
  revokedReason: 'celery.revoked.reason',
} as const;

/** Celery's names for the two operations, used in span names (`apply_async/<task>`). */
export const SEND_ACTION = 'apply_async';
export const RUN_ACTION = 'run';

/** The name of the span event a retry adds to the run span. */
export const RETRY_EVENT = 'retry';

/** `messaging.system` of each transport kind. */
export function messagingSystem(transportKind: string): string {
  return transportKind === 'amqp' ? 'rabbitmq' : transportKind;
}
