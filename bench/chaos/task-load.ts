import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { TaskClient } from '../../lib';
import { REDIS_URL, deleteKeys } from '../../test/support/redis-keys';
import {
  exited,
  killAndWait,
  spawnTs,
  waitForLine,
} from '../../test/support/spawn-ts';
import { TestApps } from '../../test/support/test-apps';
import { sleep } from '../../test/support/wait';
import { ChaosConfig } from './chaos-app';
import { Tally } from './tally';

const WORKER = join(__dirname, 'chaos-worker.ts');

/** How a load is sent: `count` tasks at `perSecond`, each running `taskMs`. */
export interface LoadShape {
  count: number;
  perSecond: number;
  taskMs: number;
}

/**
 * Tasks sent at a steady rate to worker processes that a scenario disrupts (kills,
 * broker restarts, closed connections), then counted: each run records its start and
 * its end in the shared Redis, so lost (sent, never finished) and run twice (started
 * twice) are told apart. Worker processes are `spawnTs` children.
 */
export class TaskLoad {
  readonly workers: (ChildProcess | null)[] = [];
  /** Ids whose send resolved. */
  readonly sent = new Set<string>();
  refused = 0;
  kills = 0;
  private readonly apps = new TestApps();
  private readonly counts = new Redis(REDIS_URL);
  private client: TaskClient | undefined;

  constructor(
    readonly name: string,
    readonly config: ChaosConfig,
    private readonly workerOptions: (index: number) => object,
  ) {
    this.counts.on('error', () => undefined); // a failed count rejects settle()
  }

  /** Spawns worker `index` (replacing a dead one); resolves once it consumes. */
  async startWorker(index: number): Promise<void> {
    const worker = spawnTs(
      WORKER,
      {
        CHAOS_CONFIG: JSON.stringify(this.config),
        CHAOS_WORKER: JSON.stringify(this.workerOptions(index)),
      },
      { stderr: 'ignore' },
    );
    this.workers[index] = worker;
    await waitForLine(worker, /Consuming/, 120_000);
    worker.stdout!.resume(); // read on, or a full pipe would block its logging
  }

  /** SIGKILL worker `index`, then starts it again (not waiting until it consumes). */
  async killAndRestart(index: number): Promise<void> {
    const worker = this.workers[index];
    if (worker) await killAndWait(worker);
    this.kills++;
    void this.startWorker(index).catch(() => undefined);
  }

  /** Opens the producer: a Nest app with TaskClient on `module` (default: the workers'). */
  async openProducer(
    module: ChaosConfig['module'] = this.config.module,
  ): Promise<void> {
    this.client = (await this.apps.open(module, { logger: false })).get(
      TaskClient,
    );
  }

  /** Sends the load at its rate; a send that rejects is counted as refused, not sent. */
  async send(shape: LoadShape): Promise<void> {
    const client = this.client!;
    const pending = new Set<Promise<void>>();
    const started = Date.now();
    for (let n = 0; n < shape.count; n++) {
      const due = started + (n * 1000) / shape.perSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      const id = `${this.name}-${n}`;
      const sending = client
        .send('chaos.work', [id, shape.taskMs])
        .then(
          () => void this.sent.add(id),
          () => void this.refused++,
        )
        .finally(() => pending.delete(sending));
      pending.add(sending);
    }
    await Promise.all(pending);
  }

  /**
   * Waits until every sent task finished, or until none finished for `stallMs`; then
   * counts.
   */
  async settle(scenario: string, stallMs: number, notes = ''): Promise<Tally> {
    let last = -1;
    let lastChange = Date.now();
    for (;;) {
      const finished = await this.counts.hlen(this.config.finishedKey);
      if (finished >= this.sent.size) {
        const done = await this.finishedIds();
        if ([...this.sent].every((id) => done.has(id))) break;
      }
      if (finished !== last) {
        last = finished;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > stallMs) break;
      await sleep(200);
    }
    const done = await this.finishedIds();
    const started = await this.counts.hgetall(this.config.startedKey);
    const completed = [...this.sent].filter((id) => done.has(id)).length;
    return {
      scenario,
      sent: this.sent.size,
      completed,
      lost: this.sent.size - completed,
      runTwice: [...this.sent].filter((id) => Number(started[id]) > 1).length,
      notes: [
        this.kills > 0 ? `${this.kills} worker kills` : '',
        this.refused > 0 ? `${this.refused} sends refused` : '',
        notes,
      ]
        .filter(Boolean)
        .join(', '),
    };
  }

  /** Stops the workers (SIGTERM) and the producer, and deletes the counts and keys. */
  async close(): Promise<void> {
    await this.apps.close();
    await Promise.all(
      this.workers.map(async (worker) => {
        if (!worker || worker.exitCode !== null || worker.signalCode !== null)
          return;
        worker.kill('SIGTERM');
        const gone = exited(worker);
        const timer = setTimeout(() => worker.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(timer);
      }),
    );
    await this.counts.del(this.config.startedKey, this.config.finishedKey);
    this.counts.disconnect();
    await deleteKeys(`${this.name}:`);
  }

  private async finishedIds(): Promise<Set<string>> {
    return new Set(await this.counts.hkeys(this.config.finishedKey));
  }
}

/** Counting keys for a scenario named `name` (under `name:` in the shared Redis). */
export function countKeys(
  name: string,
): Pick<ChaosConfig, 'countsUrl' | 'startedKey' | 'finishedKey'> {
  return {
    countsUrl: REDIS_URL,
    startedKey: `${name}:started`,
    finishedKey: `${name}:finished`,
  };
}

/** Calls `step` every `ms` (waiting for each) until `until` settles. */
export async function every(
  ms: number,
  until: Promise<unknown>,
  step: () => Promise<void>,
): Promise<void> {
  let done = false;
  const settled = until.then(
    () => void (done = true),
    () => void (done = true),
  );
  while (!done) {
    await Promise.race([sleep(ms), settled]);
    if (!done) await step();
  }
  await until; // its rejection, if any, is the scenario's
}
