import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/**
 * The OpenTelemetry SDK as an app would set it up, recording into memory: a provider
 * (passed to the module's `tracing.tracerProvider`), the W3C propagator and the
 * AsyncLocalStorage context manager registered globally. `stop()` unregisters them.
 */
export function recordSpans(): {
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  spans: () => ReadableSpan[];
  named: (name: string) => ReadableSpan[];
  stop: () => Promise<void>;
} {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const spans = () => exporter.getFinishedSpans();
  return {
    provider,
    exporter,
    spans,
    named: (name) => spans().filter((span) => span.name === name),
    stop: async () => {
      await provider.shutdown();
      manager.disable();
      context.disable();
      propagation.disable();
      trace.disable();
    },
  };
}

/** `00-<trace id>-<span id>-01`: the traceparent a sampled span propagates. */
export function traceparentOf(span: ReadableSpan): string {
  const { traceId, spanId } = span.spanContext();
  return `00-${traceId}-${spanId}-01`;
}
