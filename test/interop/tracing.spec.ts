import { ROOT_CONTEXT, SpanKind, context, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { TaskClient } from '../../lib';
import { recordSpans, traceparentOf } from '../support/tracing';
import { uniqueName, waitUntil } from '../support/wait';
import { BROKERS, interopBroker } from './support/brokers';
import { nestApp } from './support/nest-app';
import { InteropTasks } from './support/nest-tasks';
import { CeleryWorker, runPythonScript } from './support/python';

/**
 * One trace across Nest and Python, carried as opentelemetry-instrumentation-celery
 * carries it (its source: `_trace_before_publish` calls `inject(headers)` on the
 * `headers` of `before_task_publish`, the message headers; `_trace_prerun` calls
 * `extract(task.request, getter=CeleryGetter)`, which reads `getattr(request, key)`).
 * Debian packages no OpenTelemetry for Python, so the Python side here is plain Celery:
 * its task reads the headers where the instrumentation's getter reads them, and its
 * producer writes them where the instrumentation's `inject` writes them.
 */
describe.each(BROKERS)('interop on $label: the trace context', (setup) => {
  const broker = interopBroker(setup, 'trace');
  const pyQueue = broker.queue('py-trace');
  const nestQueue = broker.queue('nest-trace');
  // Set up per suite: each registers (and at its end unregisters) the global propagator.
  let sdk: ReturnType<typeof recordSpans>;
  let client: TaskClient;

  beforeAll(async () => {
    sdk = recordSpans();
    const [, app] = await Promise.all([
      CeleryWorker.start({
        name: uniqueName('trace'),
        queues: [pyQueue],
        config: broker.celeryConfig(),
      }),
      nestApp(
        broker.nestOptions({
          defaultQueue: pyQueue,
          worker: { queues: [nestQueue] },
          tracing: { tracerProvider: sdk.provider },
        }),
        [InteropTasks],
      ),
    ]);
    client = app.get(TaskClient);
  });

  afterAll(async () => {
    await broker.cleanup();
    await sdk.stop();
  });

  it('Nest sends, Python receives the traceparent and tracestate of the send span', async () => {
    // The request that sends comes with a trace state (a vendor's), as from upstream.
    const upstream = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
      traceState: new TraceState('vendor=nest'),
    });
    const result = await context.with(upstream, () =>
      client.send('py.trace_headers'),
    );
    broker.sent.add(result.id);
    const seen = (await result.get({ timeout: 20 })) as Record<string, unknown>;
    const [send] = sdk.named('apply_async/py.trace_headers');
    expect(send.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(seen).toEqual({
      traceparent: traceparentOf(send),
      tracestate: 'vendor=nest',
    });
  });

  it('Python sends with the context in its headers, the Nest run is its child', async () => {
    const traceId = 'a3ce929d0e0e47364bf92f3577b34da6';
    const parentId = 'b7ad6b7169203331';
    const output = await runPythonScript(
      'traced_send.py',
      broker.celeryConfig(),
      {
        name: 'math.add',
        args: [2, 3],
        queue: nestQueue,
        traceparent: `00-${traceId}-${parentId}-01`,
        tracestate: 'vendor=py',
      },
    );
    const report = JSON.parse(output) as {
      id: string;
      state: string;
      result: unknown;
      headers: Record<string, string>;
    };
    broker.sent.add(report.id);
    expect(report).toMatchObject({ state: 'SUCCESS', result: 5 });
    expect(report.headers.traceparent).toBe(`00-${traceId}-${parentId}-01`);
    await waitUntil(() => sdk.named('run/math.add').length === 1);
    const [run] = sdk.named('run/math.add');
    expect(run.kind).toBe(SpanKind.CONSUMER);
    expect(run.spanContext().traceId).toBe(traceId);
    expect(run.parentSpanContext).toMatchObject({
      traceId,
      spanId: parentId,
      isRemote: true,
    });
    expect(run.spanContext().traceState?.serialize()).toBe('vendor=py');
    expect(run.attributes).toMatchObject({
      'messaging.message.id': report.id,
      'messaging.destination.name': nestQueue,
      'celery.task_name': 'math.add',
      'celery.state': 'SUCCESS',
    });
  });
});
