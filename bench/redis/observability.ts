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
 * pre-filled no-op tasks (scaled by `BENCH_REDIS_SCALE`) at concurrency 100 on Redis, with nothing on, with metrics on, and with
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

function variantSection(
  name: string,
  variantOptions: Record<string, string>,
  log: (line: string) => void,
): BenchSection {
  const scaled = sizesFromEnv();
  // Five times the Redis section's drain (100,000 tasks at scale 1): a 20,000-task
  // drain lasts under a second, of which the first tenth runs the variant's code
  // before the JIT has compiled it; a worker that runs for hours pays that once.
  const sizes = { ...scaled, processing: scaled.processing * 5 };
  const rounds = Number(process.env.BENCH_OBS_ROUNDS ?? 5);
  const concurrency = 100;
  return {
    name,
    baseline: Object.keys(variantOptions)[0],
    run: async () => {
      const rates = new Map<string, number[]>();
      const cpu = new Map<string, number[]>();
      const mainCpu = new Map<string, number[]>();
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
            );
            const rate = figures[0].value;
            const cpuPerTask = figures.find((f) =>
              f.scenario.startsWith('worker CPU per task'),
            )!.value;
            const mainCpuPerTask = figures.find((f) =>
              f.scenario.startsWith('worker main thread CPU per task'),
            )?.value;
            rates.set(system, [...(rates.get(system) ?? []), rate]);
            cpu.set(system, [...(cpu.get(system) ?? []), cpuPerTask]);
            if (mainCpuPerTask !== undefined)
              mainCpu.set(system, [
                ...(mainCpu.get(system) ?? []),
                mainCpuPerTask,
              ]);
            log(
              `  round ${round} ${system.padEnd(26)} ${rate.toFixed(0)} tasks/s, ${cpuPerTask.toFixed(1)} us CPU per task` +
                (mainCpuPerTask === undefined
                  ? ''
                  : ` (main thread ${mainCpuPerTask.toFixed(1)})`),
            );
          } finally {
            if (previous === undefined) delete process.env.BENCH_OBSERVE;
            else process.env.BENCH_OBSERVE = previous;
          }
        }
      }
      const [base, ...others] = Object.keys(variantOptions);
      for (const other of others) {
        const rateRatio = median(rates.get(other)!) / median(rates.get(base)!);
        // Each round's variants ran back to back: their ratio leaves out the drift
        // between rounds (the host's other load), which the medians above keep.
        const roundRatios = rates
          .get(other)!
          .map((rate, round) => rate / rates.get(base)![round]);
        const cpuRatio = median(cpu.get(other)!) / median(cpu.get(base)!);
        const mainRatio =
          mainCpu.has(other) && mainCpu.has(base)
            ? median(mainCpu.get(other)!) / median(mainCpu.get(base)!)
            : undefined;
        log(
          `  ${other} / ${base}: throughput x${rateRatio.toFixed(3)}` +
            ` (round by round: ${roundRatios.map((r) => `x${r.toFixed(3)}`).join(', ')}; median x${median(roundRatios).toFixed(3)})` +
            `, CPU per task x${cpuRatio.toFixed(3)}` +
            (mainRatio === undefined
              ? ''
              : `, main thread CPU per task x${mainRatio.toFixed(3)}`),
        );
      }
      // CPU per task is the steadier figure on a shared machine: other processes
      // take wall time from the worker, much less its own CPU time per task.
      return [...rates].flatMap(([system, values]): Measurement[] => [
        {
          section: name,
          system,
          scenario: `process, concurrency ${concurrency}, median of ${values.length}`,
          value: median(values),
          unit: 'tasks/s',
          better: 'higher',
        },
        {
          section: name,
          system,
          scenario: `worker CPU per task (c=${concurrency}), median of ${values.length}`,
          value: median(cpu.get(system)!),
          unit: 'us',
          better: 'lower',
        },
        // Only where the worker could read its main thread's CPU (Linux).
        ...(mainCpu.has(system)
          ? [
              {
                section: name,
                system,
                scenario: `worker main thread CPU per task (c=${concurrency}), median of ${mainCpu.get(system)!.length}`,
                value: median(mainCpu.get(system)!),
                unit: 'us',
                better: 'lower' as const,
              },
            ]
          : []),
      ]);
    },
  };
}
