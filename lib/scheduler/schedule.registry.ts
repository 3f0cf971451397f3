import { Injectable } from '@nestjs/common';
import { AddScheduleOptions } from './add-schedule-options';
import {
  BeatConfigurationError,
  DuplicateScheduleError,
  ScheduleNotFoundError,
} from './errors';
import { definitionOf } from './published-schedule';
import { ScheduleDefinition } from './schedule-definition';
import { ScheduleInfo } from './schedule-info';
import { ScheduleState } from '../locks/tick-lock';
import { TickLockHolder } from './tick-lock-holder.service';
import { toDefinition } from './to-definition';

/**
 * The schedules of this app, at runtime (@nestjs/schedule's SchedulerRegistry shape):
 * list them with their next and last run, pause and resume one for the whole fleet,
 * add or delete one in this process. @Periodic methods are registered at bootstrap.
 *
 * Definitions live in each process (from code, or added at startup from config by
 * every beat); their state (last run, paused) lives in the tick lock store, shared.
 */
@Injectable()
export class ScheduleRegistry {
  private readonly schedules = new Map<string, ScheduleDefinition>();
  private readonly listeners = new Set<(name: string) => void>();

  constructor(private readonly store: TickLockHolder) {}

  /** Registers a schedule (the explorer does, for @Periodic). */
  register(definition: ScheduleDefinition): void {
    const existing = this.schedules.get(definition.name);
    if (existing)
      throw new DuplicateScheduleError(
        definition.name,
        existing.origin,
        definition.origin,
      );
    this.schedules.set(definition.name, definition);
    this.changed(definition.name);
  }

  /** Adds a schedule at runtime: `addSchedule({ name, task, every: '5m', args })`. */
  addSchedule(options: AddScheduleOptions): void {
    if (typeof options.name !== 'string' || options.name === '') {
      throw new TypeError('addSchedule needs a schedule `name`');
    }
    if (typeof options.task !== 'string' || options.task === '') {
      throw new TypeError(
        `addSchedule "${options.name}" needs the \`task\` to send, by name`,
      );
    }
    const { name, task, args, kwargs, queue, priority, expires, catchUp } =
      options;
    this.register(
      toDefinition({
        spec: options,
        name,
        task,
        args,
        kwargs,
        queue,
        priority,
        expires,
        catchUp,
        source: 'runtime',
        origin: `addSchedule "${name}"`,
      }),
    );
  }

  /** Deletes a schedule from this process (its stored state stays, for a later add). */
  deleteSchedule(name: string): void {
    this.definition(name);
    this.schedules.delete(name);
    this.changed(name);
  }

  doesExist(name: string): boolean {
    return this.schedules.has(name);
  }

  getScheduleNames(): string[] {
    return [...this.schedules.keys()].sort();
  }

  async getSchedule(name: string): Promise<ScheduleInfo> {
    const definition = this.definition(name);
    return infoOf(definition, await this.store.tryGet()?.peek(name));
  }

  async getSchedules(): Promise<ScheduleInfo[]> {
    const lock = this.store.tryGet();
    const names = this.getScheduleNames();
    const states = lock
      ? await Promise.all(names.map((name) => lock.peek(name)))
      : names.map(() => undefined);
    return names.map((name, i) => infoOf(this.definition(name), states[i]));
  }

  /**
   * Every schedule of the fleet: this process's own, and those the beats published to
   * the store's catalogue (a tool or an app without the beats' code sees them too).
   * Throws BeatConfigurationError when no store is configured.
   */
  async getFleetSchedules(): Promise<ScheduleInfo[]> {
    const lock = this.store.get();
    const byName = new Map<string, ScheduleDefinition>();
    for (const entry of await lock.publishedSchedules()) {
      byName.set(entry.name, definitionOf(entry));
    }
    for (const definition of this.schedules.values()) {
      byName.set(definition.name, definition);
    }
    const definitions = [...byName.values()].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    const states = await Promise.all(
      definitions.map((definition) => lock.peek(definition.name)),
    );
    return definitions.map((definition, i) => infoOf(definition, states[i]));
  }

  /** Stops the schedule on every beat of the fleet until resumed. */
  async pauseSchedule(name: string): Promise<void> {
    await this.setPaused(name, true);
  }

  /** Resumes it; ticks that passed while paused are not caught up. */
  async resumeSchedule(name: string): Promise<void> {
    await this.setPaused(name, false);
  }

  /** The definitions beat runs (a snapshot). */
  definitions(): ScheduleDefinition[] {
    return [...this.schedules.values()];
  }

  /** Called with a schedule's name when it is added, deleted, paused or resumed here. */
  onChange(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async setPaused(name: string, paused: boolean): Promise<void> {
    const lock = this.store.tryGet();
    if (!lock) {
      throw new BeatConfigurationError(
        `cannot ${paused ? 'pause' : 'resume'} "${name}": no beat store is configured ` +
          `(with RabbitMQ, set the module option beat: { lockUrl: 'redis://...', run: false })`,
      );
    }
    const now = Date.now();
    const local = this.schedules.get(name);
    if (local) {
      await lock.setPaused(name, paused, local.schedule.previous(now) ?? now);
    } else {
      // A schedule only the catalogue knows: `now` marks handled the same past ticks
      // as its latest tick would (none falls between them).
      const published = await lock.publishedSchedules();
      if (!published.some((entry) => entry.name === name))
        throw new ScheduleNotFoundError(name);
      await lock.setPaused(name, paused, now);
      return;
    }
    this.changed(name);
  }

  private definition(name: string): ScheduleDefinition {
    const definition = this.schedules.get(name);
    if (!definition) throw new ScheduleNotFoundError(name);
    return definition;
  }

  private changed(name: string): void {
    for (const listener of this.listeners) listener(name);
  }
}

function infoOf(
  definition: ScheduleDefinition,
  state: ScheduleState | undefined,
): ScheduleInfo {
  const now = Date.now();
  const paused = state?.paused ?? false;
  const after = Math.max(now, state?.handled ?? now);
  return {
    name: definition.name,
    task: definition.task,
    kind: definition.schedule.kind,
    description: definition.schedule.description,
    args: [...definition.args],
    queue: definition.queue,
    catchUp: definition.catchUp,
    source: definition.source,
    paused,
    nextRunAt: paused ? null : new Date(definition.schedule.next(after)),
    lastRunAt: state?.lastRun == null ? null : new Date(state.lastRun),
  };
}
