import { BenchSection, Measurement } from '../report';
import { median } from '../stats';
import { REDIS_URL } from '../../test/support/redis-keys';
import { processing } from './scenarios';
import { sizesFromEnv } from './sizes';

/** What each variant turns on (BENCH_OBSERVE, read by openCeleriac on both sides). */
const VARIANTS: Record<string, string> = {
  celeriac: '',
  'celeriac+metrics': 'metrics',
  'celeriac+tracing (no SDK)': 'tracing',
};

/**
 * The cost of observability on the hot path: Celeriac's worker draining 100,000
 * pre-filled no-op tasks (scaled by `BENCH_REDIS_SCALE`; timed after 20,000 more, run
 * first) at concurrency 100 on Redis, with nothing on, with metrics on, and with
 * tracing on through the API alone (no SDK: the no-op tracer, what an app without
 * OpenTelemetry pays). The producer has the same option (it stamps the send time the
 * worker's queue-wait histogram reads). Variants take turns, in a rotating order, for
 * `BENCH_OBS_ROUNDS` rounds (default 5); each figure is the median of its rounds.
 */
export function observabilitySection(
  log: (line: string) => void = (line) => console.log(line),
): BenchSection {
  return variantSection('observability', VARIANTS, log);
}

/**
 * The cost of Celery's events (docs/events.md): the same drain with events off (the
 * default: worker heartbeats only) and on (`events: true`: a task event per received,
 * started and succeeded, batched every 10 ms as `task.multi`). Prints the on/off ratios.
 */
export function eventsSection(
  log: (line: string) => void = (line) => console.log(line),
): BenchSection {
  return variantSection(
    'events',
    { celeriac: '', 'celeriac+events': 'events' },
    log,
  );
}

/** The figures of each drain these sections keep: throughput first, then CPU per task. */
const FIGURES: readonly {
  /** The drain's figure, as `processing` names it at concurrency `c`. */
  row: (c: number) => string;
  short: string;
  unit: string;
  better: 'higher' | 'lower';
}[] = [
  {
    row: (c) => `process, concurrency ${c}`,
    short: 'throughput',
    unit: 'tasks/s',
    better: 'higher',
  },
  {
    row: (c) => `worker CPU per task (c=${c})`,
    short: 'worker',
    unit: 'us',
    better: 'lower',
  },
  {
    row: (c) => `worker main thread CPU per task (c=${c})`,
    short: 'main thread',
    unit: 'us',
    better: 'lower',
  },
  {
    row: (c) => `Redis CPU per task (c=${c})`,
    short: 'Redis',
    unit: 'us',
    better: 'lower',
  },
];

function variantSection(
  name: string,
  variantOptions: Record<string, string>,
  log: (line: string) => void,
): BenchSection {
  const scaled = sizesFromEnv();
  // Five times the Redis section's drain (100,000 tasks at scale 1), timed after as
  // many as that section drains (20,000) have run untimed: the variant's code starts
  // before the JIT has compiled it (on the main thread and on V8's compiler threads),
  // a cost a worker that runs for hours pays once, not per task.
  const sizes = { ...scaled, processing: scaled.processing * 5 };
  const warmup = scaled.processing;
  const rounds = Number(process.env.BENCH_OBS_ROUNDS ?? 5);
  const concurrency = 100;
  return {
    name,
    baseline: Object.keys(variantOptions)[0],
    run: async () => {
      // Per system, per figure (FIGURES' order), one value a round.
      const values = new Map<string, number[][]>();
      const variants = Object.entries(variantOptions);
      for (let round = 1; round <= rounds; round++) {
        // Each round starts with another variant: drift over the run (a busy machine,
        // Redis' memory) falls on each of them alike.
        const order = variants.map(
          (_, i) => variants[(i + round - 1) % variants.length],
        );
        for (const [system, observe] of order) {
          const previous = process.env.BENCH_OBSERVE;
          process.env.BENCH_OBSERVE = observe;
          try {
            const figures = await processing(
              'celeriac',
              concurrency,
              { ...sizes, concurrencies: [concurrency] },
              REDIS_URL,
              warmup,
            );
            const found = FIGURES.map(
              ({ row }) =>
                figures.find((f) => f.scenario === row(concurrency))?.value ??
                NaN,
            );
            const lists = values.get(system) ?? FIGURES.map((): number[] => []);
            found.forEach((value, i) => lists[i].push(value));
            values.set(system, lists);
            const [rate, ...perTask] = found;
            log(
              `  round ${round} ${system.padEnd(26)} ${rate.toFixed(0)} tasks/s, us CPU per task: ` +
                perTask
                  .map((us, i) => `${FIGURES[i + 1].short} ${us.toFixed(1)}`)
                  .join(', '),
            );
          } finally {
            if (previous === undefined) delete process.env.BENCH_OBSERVE;
            else process.env.BENCH_OBSERVE = previous;
          }
        }
      }
      const [base, ...others] = Object.keys(variantOptions);
      for (const other of others) {
        const ratios = FIGURES.map(
          (_, i) =>
            median(values.get(other)![i]) / median(values.get(base)![i]),
        );
        // Each round's variants ran back to back: their ratio leaves out the drift
        // between rounds (the host's other load), which the medians above keep.
        const baseRates = values.get(base)![0];
        const roundRatios = values
          .get(other)![0]
          .map((rate, round) => rate / baseRates[round]);
        // Another process on the host only ever slows a round: each variant's fastest
        // round is the one it disturbed least.
        const fastest =
          Math.max(...values.get(other)![0]) / Math.max(...baseRates);
        log(
          `  ${other} / ${base}: throughput x${ratios[0].toFixed(3)}` +
            ` (round by round: ${roundRatios.map((r) => `x${r.toFixed(3)}`).join(', ')}; median x${median(roundRatios).toFixed(3)}; fastest rounds x${fastest.toFixed(3)})` +
            ratios
              .slice(1)
              .map(
                (r, i) =>
                  `, ${FIGURES[i + 1].short} CPU per task x${r.toFixed(3)}`,
              )
              .join(''),
        );
      }
      // CPU per task is the steadier figure on a shared machine: other processes
      // take wall time from the worker, much less its own CPU time per task.
      return [...values].flatMap(([system, lists]): Measurement[] =>
        FIGURES.flatMap(({ row, unit, better }, i) =>
          // The main thread's CPU only where the worker could read it (Linux).
          lists[i].every(Number.isFinite)
            ? [
                {
                  section: name,
                  system,
                  scenario: `${row(concurrency)}, median of ${lists[i].length}`,
                  value: median(lists[i]),
                  unit,
                  better,
                },
              ]
            : [],
        ),
      );
    },
  };
}
