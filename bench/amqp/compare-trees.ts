/**
 * `node -r ./test/support/ts-register.js bench/amqp/compare-trees.ts <rounds> <c,...>
 * <label>=<checkout> ...`: the throughput scenario for the bare and Celeriac workers of
 * several checkouts (e.g. `old=/tmp/before new=.`), alternated round by round in the
 * same window, so that a busy host weighs on all of them alike. Prints one JSON line
 * per run and the medians; `BENCH_AMQP_TASKS` as for the bench.
 */
import * as path from 'node:path';
import { spawnTs } from '../../test/support/spawn-ts';
import { median } from '../stats';
import { AMQP_BENCH_URL, defaultAmqpBenchConfig } from './config';
import { stopWorker } from './processes';
import { celeriacProducer, noopMessage, sendWindowed } from './producers';
import { ReplyCollector } from './reply-collector';
import { benchQueue, dropQueues } from './scenarios';

async function run(
  checkout: string,
  worker: string,
  concurrency: number,
  collector: ReplyCollector,
  prefill: Awaited<ReturnType<typeof celeriacProducer>>,
): Promise<number> {
  const { tasks, runBudgetSeconds } = defaultAmqpBenchConfig();
  const queue = benchQueue();
  collector.reset();
  try {
    await sendWindowed(tasks, 1_000, () =>
      prefill.publish(queue, noopMessage(collector.queue)),
    );
    const child = spawnTs(
      path.join(checkout, `bench/amqp/${worker}-worker.ts`),
      {
        AMQP_URL: AMQP_BENCH_URL,
        BENCH_QUEUE: queue,
        BENCH_CONCURRENCY: String(concurrency),
      },
      { root: checkout, detached: true, stdout: 'ignore', stderr: 'inherit' },
    );
    let done: number;
    try {
      done = await collector.settle(tasks, runBudgetSeconds * 1000);
    } finally {
      await stopWorker(child);
    }
    const { first, last } = collector.span();
    return (done - 1) / Math.max(0.001, (last - first) / 1000);
  } finally {
    await dropQueues(AMQP_BENCH_URL, [queue]);
  }
}

async function main(args: string[]): Promise<void> {
  const [roundsArg, concurrencies, ...trees] = args;
  if (!roundsArg || !concurrencies || trees.length === 0)
    throw new Error('usage: <rounds> <c,...> <label>=<checkout> ...');
  const checkouts = trees.map((tree) => {
    const [label, dir] = tree.split('=');
    return { label, dir: path.resolve(dir) };
  });
  const collector = await ReplyCollector.open(AMQP_BENCH_URL);
  const prefill = await celeriacProducer(AMQP_BENCH_URL);
  const rates = new Map<string, number[]>();
  try {
    for (let round = 0; round < Number(roundsArg); round++) {
      for (const c of concurrencies.split(',').map(Number)) {
        for (const worker of ['bare', 'celeriac']) {
          for (const { label, dir } of checkouts) {
            const rate = await run(dir, worker, c, collector, prefill);
            const key = `c=${c} ${worker} ${label}`;
            rates.set(key, [...(rates.get(key) ?? []), rate]);
            console.log(JSON.stringify({ round, c, worker, label, rate }));
          }
        }
      }
    }
  } finally {
    await prefill.close();
    await collector.close();
  }
  for (const [key, values] of rates) {
    const range = `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;
    console.log(
      `${key}: median ${median(values).toFixed(0)} tasks/s (${range})`,
    );
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
