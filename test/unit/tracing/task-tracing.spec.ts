import * as api from '@opentelemetry/api';
import { TaskLifecycle } from '../../../lib/lifecycle/task-lifecycle.service';
import { parseTaskMessage } from '../../../lib/protocol';
import { TaskTracing } from '../../../lib/tracing/task-tracing';
import { taskMessage } from '../../support/task-messages';
import { recordSpans } from '../../support/tracing';

/** A request as a worker decodes it from a fresh message. */
const requestOf = (name: string) => parseTaskMessage(taskMessage(name));

describe('TaskTracing with the SDK', () => {
  const sdk = recordSpans();
  const lifecycle = new TaskLifecycle();
  lifecycle.observe(
    new TaskTracing(api, sdk.provider.getTracer('celeriac'), 'amqp'),
  );

  afterEach(() => sdk.exporter.reset());
  afterAll(() => sdk.stop());

  it('a canvas step sent after its task ran (beforeSend with the parent) is a child of that run', async () => {
    const request = requestOf('canvas.first');
    lifecycle.started(request, 'q');
    await lifecycle.aroundRun(request, async () => 1);
    lifecycle.finished(request, { kind: 'success', value: 1 }, 1);
    // What a chain does once its step succeeded: send the next one for it.
    const next = taskMessage('canvas.second');
    lifecycle.beforeSend(next, 'q', request);
    lifecycle.sent(next, 'q');
    const [run] = sdk.named('run/canvas.first');
    const [send] = sdk.named('apply_async/canvas.second');
    expect(send.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
    expect(next.headers.traceparent).toBe(
      `00-${run.spanContext().traceId}-${send.spanContext().spanId}-01`,
    );
    // RabbitMQ's attribute names on an AMQP transport.
    expect(send.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.rabbitmq.destination.routing_key': 'q',
    });
  });

  it('an eager run (no start, no end reported) gets a span of its own, child of the caller', async () => {
    const tracer = sdk.provider.getTracer('test');
    const request = requestOf('eager.task');
    await tracer.startActiveSpan('caller', async (caller) => {
      await expect(
        lifecycle.aroundRun(request, () =>
          Promise.reject(new RangeError('no')),
        ),
      ).rejects.toThrow('no');
      caller.end();
    });
    const [caller] = sdk.named('caller');
    const [run] = sdk.named('run/eager.task');
    expect(run.parentSpanContext?.spanId).toBe(caller.spanContext().spanId);
    expect(run.status.code).toBe(api.SpanStatusCode.ERROR);
  });

  it('ends the send span with ERROR when the broker refuses the message', () => {
    const message = taskMessage('refused.task');
    lifecycle.beforeSend(message, 'q');
    lifecycle.sendFailed(message, 'q', new Error('broker down'));
    const [send] = sdk.named('apply_async/refused.task');
    expect(send.status).toEqual({
      code: api.SpanStatusCode.ERROR,
      message: 'Error: broker down',
    });
  });
});

describe('TaskTracing with the API alone (no SDK)', () => {
  it('adds no header, records nothing, and runs the task as is', async () => {
    const lifecycle = new TaskLifecycle();
    lifecycle.observe(
      new TaskTracing(api, api.trace.getTracer('celeriac'), 'redis'),
    );
    const message = taskMessage('plain.task');
    const before = { ...message.headers };
    lifecycle.beforeSend(message, 'q');
    lifecycle.sent(message, 'q');
    expect(message.headers).toEqual(before);
    const request = parseTaskMessage(message);
    lifecycle.started(request, 'q');
    expect(await lifecycle.aroundRun(request, async () => 42)).toBe(42);
    lifecycle.finished(request, { kind: 'success', value: 42 }, 1);
  });
});
