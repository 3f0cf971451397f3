import type * as Otel from '@opentelemetry/api';
import type {
  Attributes,
  Context,
  Span,
  TextMapGetter,
  Tracer,
} from '@opentelemetry/api';
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

/** A run's span and the context it runs in. */
interface Run {
  span: Span;
  context: Context;
  ended: boolean;
}

/** A run with nothing to trace (no SDK, no context to carry on). */
const NO_TRACE = Symbol('no trace');

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
  /**
   * Each run's span and context, kept after the span ended (canvas steps sent after
   * the run are its children); NO_TRACE when there is nothing to trace.
   */
  private readonly runs = new WeakMap<TaskRequest, Run | typeof NO_TRACE>();
  /** The attributes every span of a task on a queue shares, made once. */
  private readonly shared = new Map<string, Attributes>();
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
    const run = parent && this.runs.get(parent);
    const active = run && run !== NO_TRACE ? run.context : api.context.active();
    const name = message.headers.task;
    const span = this.tracer.startSpan(
      `${SEND_ACTION}/${name}`,
      {
        kind: api.SpanKind.PRODUCER,
        attributes: this.attributes('send', name, queue),
      },
      active,
    );
    if (span.isRecording())
      span.setAttribute(ATTR.messageId, message.headers.id);
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
    this.runs.set(
      request,
      this.startRun(request, queue, this.api.ROOT_CONTEXT),
    );
  }

  /** Runs the task function in its run span's context (eager runs get their span here). */
  aroundRun<T>(request: TaskRequest, run: () => Promise<T>): Promise<T> {
    const started = this.runs.get(request);
    if (started === NO_TRACE) return run();
    if (started) return this.api.context.with(started.context, run);
    // Eager mode reports no start and no end: the span covers the call itself, a
    // child of the code that sent it (its message has no trace headers).
    const eager = this.startRun(request, null, this.api.context.active());
    if (eager === NO_TRACE) return run();
    this.runs.set(request, eager);
    const { span } = eager;
    return this.api.context
      .with(eager.context, run)
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
      .finally(() => {
        eager.ended = true;
        span.end();
      });
  }

  finished(request: TaskRequest, end: RunEnd): void {
    const run = this.runs.get(request);
    if (!run || run === NO_TRACE || run.ended) return;
    run.ended = true;
    const { span } = run;
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

  /**
   * The run span, child of the headers' context, else of `fallback`. With the API
   * alone (no SDK) and no context to carry on, there is nothing to trace: the task runs
   * as it would without tracing.
   */
  private startRun(
    request: TaskRequest,
    queue: string | null,
    fallback: Context,
  ): Run | typeof NO_TRACE {
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
        attributes: this.attributes('process', request.name, queue),
      },
      parent,
    );
    if (
      !api.isSpanContextValid(span.spanContext()) &&
      !api.trace.getSpanContext(parent)
    )
      return NO_TRACE;
    if (span.isRecording()) {
      span.setAttribute(ATTR.messageId, request.id);
      if (request.retries > 0) span.setAttribute(ATTR.retries, request.retries);
    }
    return { span, context: api.trace.setSpan(parent, span), ended: false };
  }

  /** What every send (or run) of `task` on `queue` has in common. */
  private attributes(
    operation: 'send' | 'process',
    task: string,
    queue: string | null,
  ): Attributes {
    const key = `${operation}\u0000${task}\u0000${queue ?? ''}`;
    let attributes = this.shared.get(key);
    if (!attributes) {
      const action = operation === 'send' ? SEND_ACTION : RUN_ACTION;
      attributes = {
        [ATTR.system]: this.system,
        [ATTR.operationType]: operation,
        [ATTR.operationName]: action,
        [ATTR.action]: action,
        [ATTR.taskName]: task,
        ...(queue === null ? {} : { [ATTR.destination]: queue }),
        ...(queue !== null && this.system === 'rabbitmq'
          ? { [ATTR.routingKey]: queue }
          : {}),
      };
      this.shared.set(key, attributes);
    }
    return attributes;
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
