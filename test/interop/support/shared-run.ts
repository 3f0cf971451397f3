import Redis from 'ioredis';
import { TaskClient } from '../../../lib';
import { CeleryConfig, sendFromPython } from './python';

/**
 * A run of the one-queue test: `interop.mark(run, pauseMs)` sent from both sides, each
 * run recorded by whichever worker ran it (test/interop/python/interop_app.py and
 * nest-worker.child.ts record the same way, under the test's key prefix).
 */
export class SharedRun {
  readonly name: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    name: string,
  ) {
    this.name = name;
  }

  get doneKey(): string {
    return `${this.prefix}${this.name}:done`;
  }

  /** Sends `perSide` tasks from Python and as many from Nest, at once; resolves with every id. */
  async send(options: {
    client: TaskClient;
    config: CeleryConfig;
    queue: string;
    perSide: number;
    pauseMs: number;
  }): Promise<string[]> {
    const { client, config, queue, perSide, pauseMs } = options;
    const fromNest = async (): Promise<string[]> => {
      const ids: string[] = [];
      for (let i = 0; i < perSide; i += 50) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(50, perSide - i) }, () =>
            client.send('interop.mark', [this.name, pauseMs], {
              queue,
              ignoreResult: true,
            }),
          ),
        );
        ids.push(...batch.map((result) => result.id));
      }
      return ids;
    };
    const [python, nest] = await Promise.all([
      sendFromPython(config, {
        bulk: {
          name: 'interop.mark',
          args: [this.name, pauseMs],
          count: perSide,
          options: { queue, ignore_result: true },
        },
      }).then((reports) => reports.bulk ?? []),
      fromNest(),
    ]);
    return [...python, ...nest];
  }

  async doneCount(): Promise<number> {
    return this.redis.scard(this.doneKey);
  }

  /** Task id -> the workers (node names, without `@host`) that finished a run of it, in order. */
  async runs(): Promise<Map<string, string[]>> {
    return this.byTask(`${this.prefix}${this.name}:log`, 0);
  }

  /** Task id -> the workers that started a run of it. */
  async starts(): Promise<Map<string, string[]>> {
    return this.byTask(this.startedKey, 0);
  }

  /** Ids `worker` started and nobody finished: what it holds when frozen or dead. */
  async unfinishedOn(worker: string): Promise<string[]> {
    const [starts, done] = await Promise.all([
      this.starts(),
      this.redis.smembers(this.doneKey),
    ]);
    const finished = new Set(done);
    return [...starts]
      .filter(([id, workers]) => workers.includes(worker) && !finished.has(id))
      .map(([id]) => id);
  }

  /** How many of the last `n` starts each worker made: who has been getting work. */
  async recentStarters(n: number): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const workers of (await this.byTask(this.startedKey, -n)).values())
      for (const worker of workers) counts[worker] = (counts[worker] ?? 0) + 1;
    return counts;
  }

  private get startedKey(): string {
    return `${this.prefix}${this.name}:started`;
  }

  /** Task id -> workers, from the `"<id> <worker@host>"` lines of `key` from `start` on. */
  private async byTask(
    key: string,
    start: number,
  ): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const line of await this.redis.lrange(key, start, -1)) {
      const [id, worker] = line.split(' ');
      out.set(id, [...(out.get(id) ?? []), worker.split('@')[0]]);
    }
    return out;
  }
}

/** Ids that ran more than once without a run on one of the `killed` workers. */
export function twiceWithoutKill(
  runs: Map<string, string[]>,
  killed: string[],
): [string, string[]][] {
  return [...runs].filter(
    ([, workers]) =>
      workers.length > 1 && !workers.some((worker) => killed.includes(worker)),
  );
}
