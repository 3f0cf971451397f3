import { isPoolChild } from '../options/pool-options';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { TaskClient } from '../client/task-client.service';
import { TaskLifecycle } from '../lifecycle/task-lifecycle.service';
import { BeatLoop } from './beat-loop';
import { BeatOptions, ResolvedBeatOptions } from '../options/beat-options';
import { BeatRunner } from './beat-runner';
import { systemClock } from './clock';
import { resolveBeatOptions } from './resolve-beat-options';
import { ScheduleDefinition } from './schedule-definition';
import { ScheduleRegistry } from './schedule.registry';
import { publishedOf } from './published-schedule';
import { TickLock } from '../locks/tick-lock';
import { BEAT_OPTIONS } from './scheduler.tokens';
import { RESOLVED_OPTIONS, RESULT_BACKEND } from '../options/tokens';
import { ResolvedOptions } from '../options/resolve-options';
import { ResultBackend } from '../results/result-backend';
import { defaultEntries } from './default-entries';
import { TickLockHolder } from './tick-lock-holder.service';

/** Headers beat adds to each run it sends: which schedule, and which tick. */
export const BEAT_HEADERS = {
  schedule: 'celeriac_schedule',
  tick: 'celeriac_tick',
} as const;

/**
 * Beat in this process: started in onApplicationBootstrap when the module's `beat`
 * option says so, or by `bootstrapBeat`; stopped in beforeApplicationShutdown. Any
 * number of processes may run it: the tick lock lets one of them enqueue each tick.
 */
@Injectable()
export class BeatService
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger('Beat');
  private loop: BeatLoop | null = null;
  private passedAt: number | null = null;
  private maxSleepMs = 0;
  private unsubscribe: () => void = () => undefined;
  /** This beat's id in tick claims. */
  readonly id = `beat-${process.pid}@${hostname()}-${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly registry: ScheduleRegistry,
    private readonly store: TickLockHolder,
    private readonly client: TaskClient,
    @Inject(BEAT_OPTIONS) private readonly options: ResolvedBeatOptions,
    private readonly lifecycle: TaskLifecycle,
    @Inject(RESULT_BACKEND) private readonly backend: ResultBackend,
    @Inject(RESOLVED_OPTIONS) private readonly moduleOptions: ResolvedOptions,
  ) {}

  get running(): boolean {
    return this.loop !== null;
  }

  /**
   * When beat last finished a pass over its schedules (epoch ms; its start before the
   * first pass), null when it does not run; and the longest it sleeps between passes.
   * A running beat that has not passed for much longer than `maxSleepMs` is stuck.
   */
  get lastPass(): { at: number | null; maxSleepMs: number } {
    return { at: this.passedAt, maxSleepMs: this.maxSleepMs };
  }

  async onApplicationBootstrap(): Promise<void> {
    // A worker pool's child runs tasks only.
    if (this.options.run && !isPoolChild()) await this.start();
  }

  /** Starts beat, with `overrides` over the module's `beat` options. One per process. */
  async start(overrides: BeatOptions = {}): Promise<void> {
    if (this.loop) {
      throw new Error(
        'beat already runs in this process (the module option `beat` starts it; do not also call bootstrapBeat / start)',
      );
    }
    const options = resolveBeatOptions(overrides, this.options);
    this.installDefaultEntries();
    const lock = this.store.get({
      lockUrl: options.lockUrl,
      keyPrefix: options.keyPrefix,
    });
    const runner = new BeatRunner({
      lock,
      publish: (definition, tick) => this.publish(definition, tick),
      definitions: () => this.registry.definitions(),
      clock: systemClock,
      owner: this.id,
      options,
      logger: this.logger,
      onTick: (schedule, outcome) => this.lifecycle.beatTick(schedule, outcome),
    });
    this.maxSleepMs = options.maxSleepMs;
    this.passedAt = systemClock.now();
    const loop = new BeatLoop(async () => {
      const next = await runner.pass();
      this.passedAt = systemClock.now();
      return next;
    }, systemClock);
    this.unsubscribe = this.registry.onChange((name) => {
      runner.forget(name);
      loop.wake();
      void this.publishCatalogue(lock, name);
    });
    void this.publishCatalogue(lock);
    this.loop = loop;
    loop.start();
    this.logger.log(
      `Beat ${this.id} runs ${this.registry.getScheduleNames().length} schedule(s); ` +
        `tick lock on ${lock.kind}, catch-up '${options.catchUp}'`,
    );
  }

  /** Celery's default entries (default-entries.ts), unless schedules of their names exist. */
  private installDefaultEntries(): void {
    const entries = defaultEntries(
      this.backend,
      this.moduleOptions.resultExpiresSeconds,
    );
    for (const entry of entries)
      if (!this.registry.doesExist(entry.name)) this.registry.register(entry);
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    this.loop = null;
    this.passedAt = null;
    this.unsubscribe();
    if (!loop) return;
    await loop.stop();
    this.logger.log(`Beat ${this.id} stopped`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /**
   * Writes this beat's schedules (or the one `name`, or removes it when deleted) to the
   * store's catalogue, for tools without this code (`celeriac schedules`). A failure is
   * logged: the catalogue is for listing, the beat runs without it.
   */
  private async publishCatalogue(lock: TickLock, name?: string): Promise<void> {
    try {
      if (name !== undefined && !this.registry.doesExist(name)) {
        await lock.unpublishSchedule(name);
        return;
      }
      const now = Date.now();
      const entries = this.registry
        .definitions()
        .filter((definition) => name === undefined || definition.name === name)
        .flatMap((definition) => publishedOf(definition, this.id, now) ?? []);
      await lock.publishSchedules(entries);
    } catch (error) {
      this.logger.warn(
        `Beat ${this.id} could not publish its schedules to the ${lock.kind} store: ${(error as Error).message}`,
      );
    }
  }

  private async publish(
    definition: ScheduleDefinition,
    tick: number,
  ): Promise<void> {
    await this.client.send(definition.task, definition.args, {
      kwargs: definition.kwargs,
      queue: definition.queue,
      priority: definition.priority,
      expires: definition.expires,
      headers: {
        [BEAT_HEADERS.schedule]: definition.name,
        [BEAT_HEADERS.tick]: new Date(tick).toISOString(),
      },
    });
    this.logger.debug(
      `Sent ${definition.task} for ${definition.name} at ${new Date(tick).toISOString()}`,
    );
  }
}
