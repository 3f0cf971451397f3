import * as prom from 'prom-client';
import { TaskLifecycle } from '../../../lib/lifecycle/task-lifecycle.service';
import { TaskMetrics } from '../../../lib/metrics/task-metrics';
import { parseTaskMessage } from '../../../lib/protocol';
import { taskMessage } from '../../support/task-messages';

const BUCKETS = { runtimeBuckets: [0.1, 1], waitBuckets: [1, 10] };

function metricsOn(registry: prom.Registry, known = ['t.known']) {
  const lifecycle = new TaskLifecycle();
  const metrics = new TaskMetrics(prom, registry, BUCKETS, (name) =>
    known.includes(name),
  );
  lifecycle.observe(metrics);
  return { lifecycle, metrics };
}

/** The value of one series in the registry's text. */
async function value(
  registry: prom.Registry,
  series: string,
): Promise<number | undefined> {
  const line = (await registry.metrics())
    .split('\n')
    .find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('TaskMetrics', () => {
  it('counts beat ticks by schedule and outcome, dead letters by queue, reconnects by broker', async () => {
    const registry = new prom.Registry();
    const { lifecycle, metrics } = metricsOn(registry);
    lifecycle.beatTick('nightly', 'sent');
    lifecycle.beatTick('nightly', 'sent');
    lifecycle.beatTick('nightly', 'taken');
    lifecycle.beatTick('nightly', 'skipped');
    lifecycle.deadLettered(undefined, 'q', 'malformed message: bad JSON');
    metrics.reconnected('amqp');
    const at = (series: string) => value(registry, series);
    expect(
      await at('celeriac_beat_ticks_total{schedule="nightly",outcome="sent"}'),
    ).toBe(2);
    expect(
      await at('celeriac_beat_ticks_total{schedule="nightly",outcome="taken"}'),
    ).toBe(1);
    expect(
      await at(
        'celeriac_beat_ticks_total{schedule="nightly",outcome="skipped"}',
      ),
    ).toBe(1);
    expect(await at('celeriac_dead_letters_total{queue="q"}')).toBe(1);
    expect(await at('celeriac_broker_reconnects_total{broker="amqp"}')).toBe(1);
  });

  it('two apps on one registry add up, and one that stops adds no more', async () => {
    const registry = new prom.Registry();
    const first = metricsOn(registry);
    const second = metricsOn(registry);
    const run = (lifecycle: TaskLifecycle) => {
      const request = parseTaskMessage(taskMessage('t.known'));
      lifecycle.received(request, 'q');
      lifecycle.started(request, 'q');
      lifecycle.finished(request, { kind: 'success', value: null }, 5);
    };
    run(first.lifecycle);
    run(second.lifecycle);
    run(second.lifecycle);
    const succeeded =
      'celeriac_tasks_succeeded_total{task="t.known",queue="q"}';
    expect(await value(registry, succeeded)).toBe(3);
    // Scraped again: what was added is not added twice.
    expect(await value(registry, succeeded)).toBe(3);
    first.metrics.detach();
    run(first.lifecycle);
    run(second.lifecycle);
    expect(await value(registry, succeeded)).toBe(4);
    expect(
      await value(
        registry,
        'celeriac_task_runtime_seconds_count{task="t.known"}',
      ),
    ).toBe(5);
  });

  it('stamps the send time on a message, and a worker measures the wait from it (or from a later eta)', async () => {
    const registry = new prom.Registry();
    const { lifecycle } = metricsOn(registry);
    const message = taskMessage('t.known');
    lifecycle.beforeSend(message, 'q');
    expect(typeof message.headers.celeriac_sent_at).toBe('number');
    // Sent 5 s ago.
    message.headers.celeriac_sent_at = Date.now() / 1000 - 5;
    const request = parseTaskMessage(message);
    lifecycle.received(request, 'q');
    lifecycle.started(request, 'q');
    const bucket = (le: string) =>
      value(
        registry,
        `celeriac_task_queue_wait_seconds_bucket{le="${le}",task="t.known",queue="q"}`,
      );
    expect(await bucket('1')).toBe(0);
    expect(await bucket('10')).toBe(1);
  });
});
