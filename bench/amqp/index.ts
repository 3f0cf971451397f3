import { BenchSection, Measurement } from '../report';
import { AmqpBenchConfig, defaultAmqpBenchConfig } from './config';
import { celeriacProducer } from './producers';
import { ReplyCollector } from './reply-collector';
import {
  enqueue,
  latency,
  latencyProducer,
  throughput,
  workerKinds,
} from './scenarios';

/**
 * `npm run bench -- amqp`: Celeriac, Celery 5 (`-P threads`, `-P prefork`) and a bare
 * amqplib loop (the ceiling) on the same RabbitMQ, one worker process each, the no-op
 * task acked late with its result by rpc://. See docs/rabbitmq.md, "Performance".
 */
export function amqpSection(
  overrides: Partial<AmqpBenchConfig> = {},
): BenchSection {
  const config = { ...defaultAmqpBenchConfig(), ...overrides };
  return {
    name: 'RabbitMQ',
    baseline: 'bare amqplib',
    run: () => runAmqp(config),
  };
}

async function runAmqp(config: AmqpBenchConfig): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const log = (m: Measurement[]) => {
    for (const x of m)
      console.log(
        `  ${x.scenario} | ${x.system}: ${x.value.toFixed(1)} ${x.unit}`,
      );
    out.push(...m);
  };
  log(await enqueue(config));
  const collector = await ReplyCollector.open(config.url);
  try {
    const prefill = await celeriacProducer(config.url);
    try {
      for (const concurrency of config.concurrencies) {
        for (const kind of workerKinds(config)) {
          log([
            await throughput(config, kind, concurrency, collector, prefill),
          ]);
        }
      }
    } finally {
      await prefill.close();
    }
    for (const kind of workerKinds(config)) {
      const producer = await latencyProducer(kind, config.url);
      try {
        log(await latency(config, kind, collector, producer));
      } finally {
        await producer.close();
      }
    }
  } finally {
    await collector.close();
  }
  return out;
}
