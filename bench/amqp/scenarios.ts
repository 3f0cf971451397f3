import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { Measurement } from '../report';
import { percentile } from '../stats';
import { AmqpBenchConfig } from './config';
import { WorkerKind, celerySend, spawnWorker, stopWorker } from './processes';
import {
  BenchProducer,
  bareProducer,
  celeriacClient,
  celeriacProducer,
  noopMessage,
  sendWindowed,
} from './producers';
import { ReplyCollector } from './reply-collector';

const SECTION = 'RabbitMQ';
/** Sends a Node producer keeps in flight (Celery's producer sends one at a time). */
const WINDOW = 1_000;

export const SYSTEM: Record<WorkerKind, string> = {
  celeriac: 'celeriac',
  bare: 'bare amqplib',
  'celery-threads': 'celery -P threads',
  'celery-prefork': 'celery -P prefork',
};

function measurement(
  scenario: string,
  system: string,
  value: number,
  unit: string,
  better: 'higher' | 'lower',
): Measurement {
  return { section: SECTION, scenario, system, value, unit, better };
}

/** A fresh queue name; `drop` deletes it (and Celery's exchange of the same name). */
export function benchQueue(): string {
  return `bench.${randomUUID().slice(0, 8)}`;
}

export async function dropQueues(url: string, queues: string[]): Promise<void> {
  const model = await connect(url);
  try {
    for (const queue of queues) {
      const channel = await model.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.deleteExchange(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await model.close();
  }
}

/** Enqueue: Celeriac's TaskClient.send, Celery's send_task (Python), bare confirmed publish. */
export async function enqueue(config: AmqpBenchConfig): Promise<Measurement[]> {
  const count = config.enqueueCount;
  const scenario = `enqueue ${count} (persistent)`;
  const out: Measurement[] = [];
  const queues: string[] = [];
  try {
    const { client, app } = await celeriacClient(config.url);
    try {
      const queue = benchQueue();
      queues.push(queue);
      await client.send('bench.noop', [], { queue }); // declares the queue
      const started = performance.now();
      await sendWindowed(count, WINDOW, () =>
        client.send('bench.noop', [], { queue }),
      );
      const seconds = (performance.now() - started) / 1000;
      out.push(
        measurement(scenario, 'celeriac', count / seconds, 'msg/s', 'higher'),
      );
    } finally {
      await app.close();
    }

    const bare = await bareProducer(config.url);
    try {
      const queue = benchQueue();
      queues.push(queue);
      const replyTo = randomUUID();
      await bare.publish(queue, noopMessage(replyTo));
      const started = performance.now();
      await sendWindowed(count, WINDOW, () =>
        bare.publish(queue, noopMessage(replyTo)),
      );
      const seconds = (performance.now() - started) / 1000;
      out.push(
        measurement(scenario, SYSTEM.bare, count / seconds, 'msg/s', 'higher'),
      );
    } finally {
      await bare.close();
    }

    const queue = benchQueue();
    queues.push(queue);
    const seconds = await celerySend(queue, count);
    out.push(
      measurement(scenario, 'celery', count / seconds, 'msg/s', 'higher'),
    );
  } finally {
    await dropQueues(config.url, queues);
  }
  return out;
}

/** The workers a run compares, ceiling first. */
export function workerKinds(config: AmqpBenchConfig): WorkerKind[] {
  return [
    'bare',
    'celeriac',
    ...config.celeryPools.map((pool) => `celery-${pool}` as WorkerKind),
  ];
}

/**
 * Throughput: `tasks` no-op tasks pre-filled, then one worker process started; timed
 * from the first reply to the last (rpc://, every task's state comes back). A worker
 * that cannot finish within `runBudgetSeconds` is measured on the replies that came.
 */
export async function throughput(
  config: AmqpBenchConfig,
  kind: WorkerKind,
  concurrency: number,
  collector: ReplyCollector,
  prefill: BenchProducer,
): Promise<Measurement> {
  const queue = benchQueue();
  collector.reset();
  try {
    await sendWindowed(config.tasks, WINDOW, () =>
      prefill.publish(queue, noopMessage(collector.queue)),
    );
    const worker = spawnWorker(kind, queue, concurrency);
    let done: number;
    try {
      done = await collector.settle(
        config.tasks,
        config.runBudgetSeconds * 1000,
      );
    } finally {
      await stopWorker(worker);
    }
    const { first, last } = collector.span();
    // A worker too slow to finish within the budget is measured on what it did.
    const rate = (done - 1) / Math.max(0.001, (last - first) / 1000);
    return measurement(
      `throughput ${config.tasks} tasks, concurrency ${concurrency}`,
      SYSTEM[kind],
      rate,
      'tasks/s',
      'higher',
    );
  } finally {
    await dropQueues(config.url, [queue]);
  }
}

/**
 * Latency: the worker started and warmed up, then tasks sent at `latencyRate`/s for
 * `latencySeconds` from this process; latency = reply arrival - just before publish.
 */
export async function latency(
  config: AmqpBenchConfig,
  kind: WorkerKind,
  collector: ReplyCollector,
  producer: BenchProducer,
): Promise<Measurement[]> {
  const queue = benchQueue();
  collector.reset();
  const worker = spawnWorker(kind, queue, config.latencyConcurrency);
  try {
    const warm = noopMessage(collector.queue);
    await producer.publish(queue, warm);
    await collector.waitFor(1, 60_000);
    collector.reset();
    const sentAt = new Map<string, number>();
    const total = Math.round(config.latencyRate * config.latencySeconds);
    const tickMs = 10;
    const perTick = config.latencyRate / (1000 / tickMs);
    const started = performance.now();
    const sends: Promise<void>[] = [];
    for (let sent = 0; sent < total;) {
      const due = Math.min(
        total,
        Math.floor(((performance.now() - started) / tickMs + 1) * perTick),
      );
      for (; sent < due; sent++) {
        const message = noopMessage(collector.queue);
        sentAt.set(message.headers.id, performance.now());
        sends.push(producer.publish(queue, message));
      }
      await new Promise((resolve) => setTimeout(resolve, tickMs));
    }
    await Promise.all(sends);
    await collector.waitFor(total, 120_000);
    const latencies = [...sentAt].map(
      ([id, at]) => (collector.arrivals.get(id) ?? NaN) - at,
    );
    const scenario = `latency at ${config.latencyRate}/s`;
    return [
      measurement(
        `${scenario} p50`,
        SYSTEM[kind],
        percentile(latencies, 50),
        'ms',
        'lower',
      ),
      measurement(
        `${scenario} p99`,
        SYSTEM[kind],
        percentile(latencies, 99),
        'ms',
        'lower',
      ),
    ];
  } finally {
    await stopWorker(worker);
    await dropQueues(config.url, [queue]);
  }
}

/** The producer of a latency run: bare for the ceiling, Celeriac's for the others. */
export function latencyProducer(
  kind: WorkerKind,
  url: string,
): Promise<BenchProducer> {
  return kind === 'bare' ? bareProducer(url) : celeriacProducer(url);
}
