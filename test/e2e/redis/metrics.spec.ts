import { INestApplication, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { Server } from 'node:http';
import { Registry } from 'prom-client';
import request from 'supertest';
import {
  Task,
  TaskClient,
  TaskQueueMetrics,
  TaskQueueMetricsController,
  TaskQueueModule,
  TaskQueueModuleOptions,
  TaskRevokedError,
  TaskWorkerService,
} from '../../../lib';
import { uniqueName, waitUntil } from '../../support/wait';
import { REDIS_URL, deletePrefix, uniquePrefix } from './redis-test-support';

class Flaky extends Error {}

@Injectable()
class MetricTasks {
  flakyRuns = 0;

  @Task('metrics.ok')
  ok(n: number): number {
    return n;
  }

  @Task('metrics.slow')
  async slow(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 600));
    return 'slow';
  }

  @Task({ name: 'metrics.fail', deadLetter: true })
  fail(): never {
    throw new TypeError('bad input');
  }

  @Task({
    name: 'metrics.flaky',
    autoretryFor: [Flaky],
    maxRetries: 1,
    retryDelay: 0,
  })
  flaky(): string {
    if (this.flakyRuns++ === 0) throw new Flaky('not yet');
    return 'ok';
  }
}

@Module({ providers: [MetricTasks], controllers: [TaskQueueMetricsController] })
class MetricsHttpModule {}

/** One sample of a text exposition: `name{labels} value`, labels as written. */
function sample(text: string, series: string): number | undefined {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${series} `) && !l.startsWith('#'));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics on redis: GET /metrics after a known mix of tasks', () => {
  const prefix = uniquePrefix('metrics');
  const queue = uniqueName('metrics-q');
  const redis = new Redis(REDIS_URL);
  let app: INestApplication;
  const scrape = () => request(app.getHttpServer() as Server).get('/metrics');

  const open = async (options: Partial<TaskQueueModuleOptions>) => {
    const module = await Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot({
          broker: REDIS_URL,
          backend: `${REDIS_URL}/1`,
          defaultQueue: queue,
          brokerOptions: { keyPrefix: prefix },
          backendOptions: { keyPrefix: prefix },
          ...options,
        }),
        MetricsHttpModule,
      ],
    }).compile();
    const nest = module.createNestApplication({ logger: false });
    await nest.init();
    return nest;
  };

  afterAll(async () => {
    await app?.close();
    await deletePrefix(redis, prefix);
    const results = new Redis(`${REDIS_URL}/1`);
    await deletePrefix(results, prefix);
    await Promise.all([results.quit(), redis.quit()]);
  });

  it('counts each outcome exactly, by task and queue, and fills the histograms', async () => {
    app = await open({
      metrics: {
        runtimeBuckets: [0.3, 5],
        queueDepth: { queues: [queue], interval: 0.05 },
      },
    });
    const client = app.get(TaskClient);
    // Sent before the worker starts: they wait in the queue, and the depth shows them.
    const sent = [
      await client.send('metrics.ok', [1]),
      await client.send('metrics.ok', [2]),
      await client.send('metrics.ok', [3]),
      await client.send('metrics.slow'),
      await client.send('metrics.fail'),
      await client.send('metrics.flaky'),
      await client.send('metrics.nobody-knows-it', [1]),
    ];
    const revoked = await client.send('metrics.ok', [4]);
    await client.revoke(revoked.id);
    await waitUntil(
      async () =>
        sample(
          (await scrape()).text,
          `celeriac_queue_depth{queue="${queue}",priority="0"}`,
        ) === 8,
      5000,
      'the sampled depth of 8 waiting messages',
    );

    await app.get(TaskWorkerService).start({ queues: [queue] });
    await Promise.allSettled(sent.map((result) => result.get({ timeout: 10 })));
    await expect(revoked.get({ timeout: 10 })).rejects.toBeInstanceOf(
      TaskRevokedError,
    );
    const counted = (text: string) =>
      sample(text, `celeriac_dead_letters_total{queue="${queue}"}`) === 2;
    let response = await scrape();
    await waitUntil(
      async () => counted((response = await scrape()).text),
      5000,
      'both dead letters counted',
    );

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    const at = (name: string, labels: string) =>
      sample(text, `${name}{${labels}}`);
    const task = (name: string) => `task="${name}",queue="${queue}"`;
    expect(at('celeriac_tasks_sent_total', task('metrics.ok'))).toBe(4);
    expect(at('celeriac_tasks_received_total', task('metrics.ok'))).toBe(4);
    expect(at('celeriac_tasks_succeeded_total', task('metrics.ok'))).toBe(3);
    expect(at('celeriac_tasks_revoked_total', task('metrics.ok'))).toBe(1);
    expect(at('celeriac_tasks_failed_total', task('metrics.ok'))).toBe(0);
    expect(at('celeriac_tasks_succeeded_total', task('metrics.slow'))).toBe(1);
    expect(at('celeriac_tasks_failed_total', task('metrics.fail'))).toBe(1);
    expect(at('celeriac_tasks_received_total', task('metrics.flaky'))).toBe(2);
    expect(at('celeriac_tasks_retried_total', task('metrics.flaky'))).toBe(1);
    expect(at('celeriac_tasks_succeeded_total', task('metrics.flaky'))).toBe(1);
    // A name this process does not know is counted under one bounded label.
    expect(at('celeriac_tasks_received_total', task('<unregistered>'))).toBe(1);
    expect(
      at('celeriac_tasks_received_total', task('metrics.nobody-knows-it')),
    ).toBeUndefined();
    expect(text).not.toContain(revoked.id);

    // Runtime: three fast runs under 300 ms (a run's time includes waiting for the event
    // loop, which the other tasks' work can hold for a while), the 600 ms one above it.
    const runtime = (labels: string) =>
      at('celeriac_task_runtime_seconds_bucket', labels);
    expect(runtime('le="0.3",task="metrics.ok"')).toBe(3);
    expect(runtime('le="+Inf",task="metrics.ok"')).toBe(3);
    expect(runtime('le="0.3",task="metrics.slow"')).toBe(0);
    expect(runtime('le="5",task="metrics.slow"')).toBe(1);
    expect(at('celeriac_task_runtime_seconds_count', 'task="metrics.ok"')).toBe(
      3,
    );
    // Queue wait: every run of a message this producer stamped (not the revoked one).
    expect(
      at('celeriac_task_queue_wait_seconds_count', task('metrics.ok')),
    ).toBe(3);
    expect(
      at('celeriac_task_queue_wait_seconds_count', task('metrics.flaky')),
    ).toBe(2);
    expect(
      at(
        'celeriac_task_queue_wait_seconds_bucket',
        `le="+Inf",${task('metrics.ok')}`,
      ),
    ).toBe(3);

    expect(sample(text, 'celeriac_worker_tasks_running')).toBe(0);
    expect(sample(text, 'celeriac_worker_tasks_prefetched')).toBe(0);
    expect(sample(text, 'celeriac_broker_connected')).toBe(1);
    await waitUntil(
      async () =>
        sample(
          (await scrape()).text,
          `celeriac_queue_depth{queue="${queue}",priority="0"}`,
        ) === 0,
      5000,
      'the depth back to 0',
    );
  });
});

describe('metrics on the app registry', () => {
  it("registers Celeriac's metrics on the registry given, beside the app's own, and takes them off at shutdown", async () => {
    const registry = new Registry();
    const module = await Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot({
          broker: `memory://${uniqueName('metrics-registry')}`,
          metrics: { registry },
        }),
      ],
    }).compile();
    await module.init();
    expect(module.get(TaskQueueMetrics).registry).toBe(registry);
    const names = registry.getMetricsAsArray().map((m) => m.name);
    expect(names).toContain('celeriac_tasks_received_total');
    expect(names).toContain('celeriac_task_runtime_seconds');
    await module.close();
    expect(registry.getMetricsAsArray()).toEqual([]);
  });

  it('the controller refuses to start when metrics are off', async () => {
    const module = Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot({
          broker: `memory://${uniqueName('metrics-off')}`,
        }),
      ],
      controllers: [TaskQueueMetricsController],
    });
    await expect(module.compile()).rejects.toThrow(
      /needs the module option `metrics`/,
    );
  });
});
