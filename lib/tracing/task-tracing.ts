import type * as Otel from '@opentelemetry/api';
import type { Context, Span, TextMapGetter, Tracer } from '@opentelemetry/api';
import { TaskMessage, TaskRequest } from '../protocol';
import { RunEnd, TaskObserver } from '../lifecycle/task-observer';
import {
  ATTR,
  RETRY_EVENT,
  RUN_ACTION,
  SEND_ACTION,
  messagingSystem,
} from './span-attributes';

/** Reads the trace context from a task's headers: strings only (Celery's are JSON). */
const headerGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.map(String);
    return undefined;
  },
};

/**
 * OpenTelemetry spans for tasks, as a TaskObserver, carried the way
 * opentelemetry-instrumentation-celery carries them, so one trace crosses Nest and
 * Python:
 * - a PRODUCER span `apply_async/<task>` per send, child of the active context (the
 *   HTTP request, or the task that sends), its context injected into the message
 *   headers by the app's propagator (W3C: `traceparent`, `tracestate`);
 * - a CONSUMER span `run/<task>` per run, child of the context extracted from the
 *   headers, active while the task function runs, so the task's own spans and sends
 *   are its children;
 * - a retry is an event on the run span; the retry message keeps the headers, so the
 *   next run is another child of the same send.
 * Without an SDK the API is a no-op: spans are not recorded and nothing is injected.
 */
export class TaskTracing implements TaskObserver {
  private readonly sends = new WeakMap<TaskMessage, Span>();
  private readonly runs = new WeakMap<TaskRequest, Span>();
  /** The run's context, kept after its span ended: canvas steps sent after it are its children. */
  private readonly runContexts = new WeakMap<TaskRequest, Context>();
  private readonly system: string;

  constructor(
    private readonly api: typeof Otel,
    private readonly tracer: Tracer,
    transportKind: string,
  ) {
    this.system = messagingSystem(transportKind);
  }

  beforeSend(message: TaskMessage, queue: string, parent?: TaskRequest): void {
    const { api } = this;
    const active =
      (parent && this.runContexts.get(parent)) ?? api.context.active();
    const name = message.headers.task;
    const span = this.tracer.startSpan(
      `${SEND_ACTION}/${name}`,
      {
        kind: api.SpanKind.PRODUCER,
        attributes: {
          [ATTR.system]: this.system,
          [ATTR.operationType]: 'send',
          [ATTR.operationName]: SEND_ACTION,
          [ATTR.destination]: queue,
          [ATTR.messageId]: message.headers.id,
          [ATTR.action]: SEND_ACTION,
          [ATTR.taskName]: name,
          ...(this.system === 'rabbitmq' ? { [ATTR.routingKey]: queue } : {}),
        },
      },
      active,
    );
    api.propagation.inject(api.trace.setSpan(active, span), message.headers);
    this.sends.set(message, span);
  }

  sent(message: TaskMessage): void {
    this.sends.get(message)?.end();
    this.sends.delete(message);
  }

  sendFailed(message: TaskMessage, _queue: string, error: unknown): void {
    const span = this.sends.get(message);
    if (!span) return;
    this.fail(span, error);
    span.end();
    this.sends.delete(message);
  }

  started(request: TaskRequest, queue: string | null): void {
    this.startRun(request, queue, this.api.ROOT_CONTEXT);
  }

  /** The run span, child of the headers' context, else of `fallback`. */
  private startRun(
    request: TaskRequest,
    queue: string | null,
    fallback: Context,
  ): void {
    const { api } = this;
    const parent = api.propagation.extract(
      fallback,
      request.message.headers,
      headerGetter,
    );
    const span = this.tracer.startSpan(
      `${RUN_ACTION}/${request.name}`,
      {
        kind: api.SpanKind.CONSUMER,
        attributes: {
          [ATTR.system]: this.system,
          [ATTR.operationType]: 'process',
          [ATTR.operationName]: RUN_ACTION,
          [ATTR.messageId]: request.id,
          [ATTR.action]: RUN_ACTION,
          [ATTR.taskName]: request.name,
          ...(queue === null ? {} : { [ATTR.destination]: queue }),
          ...(request.retries > 0 ? { [ATTR.retries]: request.retries } : {}),
        },
      },
      parent,
    );
    this.runs.set(request, span);
    this.runContexts.set(request, api.trace.setSpan(parent, span));
  }

  /** Runs the task function in its run span's context (eager runs get their span here). */
  aroundRun<T>(request: TaskRequest, run: () => Promise<T>): Promise<T> {
    const context = this.runContexts.get(request);
    if (context) return this.api.context.with(context, run);
    // Eager mode reports no start and no end: the span covers the call itself, a
    // child of the code that sent it (its message has no trace headers).
    this.startRun(request, null, this.api.context.active());
    const span = this.runs.get(request)!;
    this.runs.delete(request);
    return this.api.context
      .with(this.runContexts.get(request)!, run)
      .then(
        (value) => {
          span.setAttribute(ATTR.state, 'SUCCESS');
          return value;
        },
        (error: unknown) => {
          this.fail(span, error);
          throw error;
        },
      )
      .finally(() => span.end());
  }

  finished(request: TaskRequest, end: RunEnd): void {
    const span = this.runs.get(request);
    if (!span) return;
    this.runs.delete(request);
    switch (end.kind) {
      case 'success':
        span.setAttribute(ATTR.state, 'SUCCESS');
        break;
      case 'failure':
        this.fail(span, end.error);
        break;
      case 'retry': {
        const reason = describe(end.error);
        span.setAttributes({
          [ATTR.state]: 'RETRY',
          [ATTR.retryReason]: reason,
        });
        span.addEvent(RETRY_EVENT, {
          [ATTR.retryReason]: reason,
          [ATTR.retryEta]: end.eta.toISOString(),
          [ATTR.retries]: request.retries + 1,
        });
        break;
      }
      case 'revoked':
        span.setAttributes({
          [ATTR.state]: 'REVOKED',
          [ATTR.revokedReason]: end.reason,
        });
        break;
    }
    span.end();
  }

  private fail(span: Span, error: unknown): void {
    span.setAttribute(ATTR.state, 'FAILURE');
    if (error instanceof Error) span.recordException(error);
    span.setStatus({
      code: this.api.SpanStatusCode.ERROR,
      message: describe(error),
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message}`
    : String(error);
}
