import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import Redis from 'ioredis';
import {
  Task,
  TaskClient,
  TaskContext,
  TaskQueueModule,
  TaskQueueModuleOptions,
} from '../../../lib';
import { recordSpans, traceparentOf } from '../../support/tracing';
import { uniqueName, waitUntil } from '../../support/wait';
import { REDIS_URL, deletePrefix, uniquePrefix } from './redis-test-support';

class Flaky extends Error {}

@Injectable()
class TracedTasks {
  flakyRuns = 0;
  /** The traceparent header each run received. */
  headers: Record<string, unknown> = {};

  constructor(
    private readonly taskContext: TaskContext,
    private readonly client: TaskClient,
  ) {}

  @Task('traced.add')
  add(a: number, b: number): number {
    this.headers[this.taskContext.current.id] =
      this.taskContext.current.headers.traceparent;
    // The task's own span: a child of its run span.
    trace.getTracer('app').startSpan('app.compute').end();
    return a + b;
  }

  @Task('traced.fanout')
  async fanout(): Promise<string> {
    // A send from inside a task: its producer span is a child of this run.
    const child = await this.client.send('traced.add', [1, 1]);
    return child.id;
  }

  @Task({
    name: 'traced.flaky',
    autoretryFor: [Flaky],
    maxRetries: 2,
    retryDelay: 0,
  })
  flaky(): string {
    this.headers[`${this.taskContext.current.id}:${this.flakyRuns}`] =
      this.taskContext.current.headers.traceparent;
    if (this.flakyRuns++ === 0) throw new Flaky('not yet');
    return 'ok';
  }

  @Task('traced.fail')
  fail(): never {
    throw new TypeError('bad input');
  }
}

describe('tracing on redis: spans recorded by the SDK', () => {
  const prefix = uniquePrefix('tracing');
  const queue = uniqueName('tracing-q');
  const redis = new Redis(REDIS_URL);
  const sdk = recordSpans();
  let app: TestingModule;
  let client: TaskClient;

  beforeAll(async () => {
    const options: TaskQueueModuleOptions = {
      broker: REDIS_URL,
      backend: `${REDIS_URL}/1`,
      defaultQueue: queue,
      brokerOptions: { keyPrefix: prefix },
      backendOptions: { keyPrefix: prefix },
      worker: { queues: [queue] },
      tracing: { tracerProvider: sdk.provider },
    };
    trace.setGlobalTracerProvider(sdk.provider); // for the app's own spans
    app = await Test.createTestingModule({
      imports: [TaskQueueModule.forRoot(options)],
      providers: [TracedTasks],
    }).compile();
    await app.init();
    client = app.get(TaskClient);
  });

  afterEach(() => sdk.exporter.reset());

  afterAll(async () => {
    await app.close();
    await sdk.stop();
    await deletePrefix(redis, prefix);
    const results = new Redis(`${REDIS_URL}/1`);
    await deletePrefix(results, prefix);
    await Promise.all([results.quit(), redis.quit()]);
  });

  it('links the producer span to the consumer span through the traceparent header', async () => {
    const tracer = sdk.provider.getTracer('app');
    // As an HTTP handler would: the send happens inside the request's span.
    const result = await tracer.startActiveSpan(
      'http.request',
      async (span) => {
        try {
          return await client.send('traced.add', [2, 3]);
        } finally {
          span.end();
        }
      },
    );
    expect(await result.get({ timeout: 10 })).toBe(5);
    await waitUntil(() => sdk.named('app.compute').length === 1);

    const [request] = sdk.named('http.request');
    const [send] = sdk.named('apply_async/traced.add');
    const [run] = sdk.named('run/traced.add');
    const [own] = sdk.named('app.compute');
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(run.kind).toBe(SpanKind.CONSUMER);
    const traceId = request.spanContext().traceId;
    for (const span of [send, run, own])
      expect(span.spanContext().traceId).toBe(traceId);
    expect(send.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(run.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
    expect(own.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
    // The header the worker got is the producer span's context.
    expect(app.get(TracedTasks).headers[result.id]).toBe(traceparentOf(send));

    expect(send.attributes).toMatchObject({
      'messaging.system': 'redis',
      'messaging.operation.type': 'send',
      'messaging.destination.name': queue,
      'messaging.message.id': result.id,
      'celery.action': 'apply_async',
      'celery.task_name': 'traced.add',
    });
    expect(run.attributes).toMatchObject({
      'messaging.system': 'redis',
      'messaging.operation.type': 'process',
      'messaging.destination.name': queue,
      'messaging.message.id': result.id,
      'celery.action': 'run',
      'celery.task_name': 'traced.add',
      'celery.state': 'SUCCESS',
    });
  });

  it('a send from inside a task is a child of its run (Nest to Nest, one trace)', async () => {
    const fanout = await client.send('traced.fanout');
    const childId = (await fanout.get({ timeout: 10 })) as string;
    await client.result(childId).get({ timeout: 10 });
    await waitUntil(() => sdk.named('run/traced.add').length === 1);
    const [outerRun] = sdk.named('run/traced.fanout');
    const innerSend = sdk
      .named('apply_async/traced.add')
      .find((span) => span.attributes['messaging.message.id'] === childId)!;
    const [innerRun] = sdk.named('run/traced.add');
    expect(innerSend.parentSpanContext?.spanId).toBe(
      outerRun.spanContext().spanId,
    );
    expect(innerRun.parentSpanContext?.spanId).toBe(
      innerSend.spanContext().spanId,
    );
    expect(innerRun.spanContext().traceId).toBe(outerRun.spanContext().traceId);
  });

  it('keeps the traceparent through a retry: the retry is an event, each run a child of the one send', async () => {
    const result = await client.send('traced.flaky');
    expect(await result.get({ timeout: 10 })).toBe('ok');
    await waitUntil(() => sdk.named('run/traced.flaky').length === 2);
    const [send] = sdk.named('apply_async/traced.flaky');
    const [first, second] = sdk
      .named('run/traced.flaky')
      .sort(
        (a, b) =>
          a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
      );
    for (const run of [first, second]) {
      expect(run.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
      expect(run.spanContext().traceId).toBe(send.spanContext().traceId);
    }
    const headers = app.get(TracedTasks).headers;
    expect(headers[`${result.id}:0`]).toBe(traceparentOf(send));
    expect(headers[`${result.id}:1`]).toBe(traceparentOf(send));
    expect(first.attributes['celery.state']).toBe('RETRY');
    expect(first.attributes['celery.retry.reason']).toBe('Error: not yet');
    expect(first.events.map((event) => event.name)).toEqual(['retry']);
    expect(first.events[0].attributes).toMatchObject({
      'celery.retry.reason': 'Error: not yet',
      'celery.retries': 1,
    });
    expect(second.attributes).toMatchObject({
      'celery.state': 'SUCCESS',
      'celery.retries': 1,
    });
  });

  it('marks a failed run with ERROR and the exception', async () => {
    const result = await client.send('traced.fail');
    await expect(result.get({ timeout: 10 })).rejects.toThrow(/bad input/);
    await waitUntil(() => sdk.named('run/traced.fail').length === 1);
    const [run] = sdk.named('run/traced.fail');
    expect(run.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'TypeError: bad input',
    });
    expect(run.attributes['celery.state']).toBe('FAILURE');
    expect(run.events.map((event) => event.name)).toEqual(['exception']);
  });
});
