import { Logger } from '@nestjs/common';
import { BeatTickOutcome } from '../lifecycle/task-observer';
import { ResolvedBeatOptions } from '../options/beat-options';
import { Clock } from './clock';
import { ScheduleDefinition } from './schedule-definition';
import { TickLock } from '../locks/tick-lock';
import { planTicks } from './tick-plan';

/** How soon beat looks again at a tick it could not settle (claimed by a beat that may have died). */
const RETRY_MS = 1000;

export interface BeatRunnerDeps {
  lock: TickLock;
  /** Enqueues one run of `definition` for `tick`; rejects when the broker did not take it. */
  publish: (definition: ScheduleDefinition, tick: number) => Promise<void>;
  /** The schedules, read on each pass (the registry can change between passes). */
  definitions: () => readonly ScheduleDefinition[];
  clock: Clock;
  /** This beat's id in claims. */
  owner: string;
  options: Pick<
    ResolvedBeatOptions,
    'catchUp' | 'maxCatchUp' | 'missedAfterMs' | 'lockTtlMs' | 'maxSleepMs'
  >;
  logger?: Logger;
  /** Told what became of each due tick (metrics). */
  onTick?: (schedule: string, outcome: BeatTickOutcome) => void;
}

/**
 * One beat's work, without timers: `pass()` enqueues every due tick this beat wins and
 * says when to look again. For each due schedule: read its state from the lock store,
 * plan the ticks (catch-up policy), claim each, enqueue it, record it. A tick another
 * beat claimed is left to that beat; one whose enqueue failed is given back and retried.
 */
export class BeatRunner {
  /** `handled` as last read from the store: a schedule is due when its next tick is past. */
  private readonly handled = new Map<string, number>();
  private readonly logger: Logger;

  constructor(private readonly deps: BeatRunnerDeps) {
    this.logger = deps.logger ?? new Logger('Beat');
  }

  /** Runs what is due now; resolves with the time (ms) of the next pass. Never rejects. */
  async pass(): Promise<number> {
    const definitions = this.deps.definitions();
    for (const definition of definitions) {
      const now = this.deps.clock.now();
      const handled = this.handled.get(definition.name);
      if (handled !== undefined && definition.schedule.next(handled) > now)
        continue;
      try {
        await this.runSchedule(definition, now);
      } catch (error) {
        this.logger.error(
          `Schedule ${definition.name}: ${String(error)}; retrying shortly`,
        );
      }
    }
    return this.nextPassAt(definitions);
  }

  /** Forgets what it knew of a schedule (removed, or resumed elsewhere). */
  forget(name: string): void {
    this.handled.delete(name);
  }

  private async runSchedule(
    definition: ScheduleDefinition,
    now: number,
  ): Promise<void> {
    const { lock, options } = this.deps;
    const { name, schedule } = definition;
    const state = await lock.state(name, schedule.previous(now) ?? now);
    this.handled.set(name, state.handled);
    if (state.paused) return;
    const plan = planTicks(schedule, state.handled, now, {
      catchUp: definition.catchUp ?? options.catchUp,
      maxCatchUp: options.maxCatchUp,
      missedAfterMs: options.missedAfterMs,
    });
    if (plan.missed) {
      this.logger.warn(
        `Schedule ${name} missed ticks since ${new Date(state.handled).toISOString()} ` +
          `(catch-up '${definition.catchUp ?? options.catchUp}': ${plan.run.length} run(s))`,
      );
    }
    if (plan.dropped) this.deps.onTick?.(name, 'skipped');
    for (const tick of plan.run) {
      if (!(await lock.claim(name, tick, this.deps.owner, options.lockTtlMs))) {
        this.deps.onTick?.(name, 'taken');
        continue;
      }
      try {
        await this.deps.publish(definition, tick);
      } catch (error) {
        await lock.release(name, tick, this.deps.owner).catch(() => undefined);
        throw new Error(
          `could not enqueue the tick of ${new Date(tick).toISOString()}: ${String(error)}`,
        );
      }
      await lock.complete(name, tick, true);
      this.deps.onTick?.(name, 'sent');
      this.handled.set(name, Math.max(tick, this.handled.get(name) ?? tick));
    }
    if (plan.skipTo !== null) {
      await lock.complete(name, plan.skipTo, false);
      this.handled.set(
        name,
        Math.max(plan.skipTo, this.handled.get(name) ?? plan.skipTo),
      );
    }
  }

  /** The next tick of any schedule; sooner for a tick still unsettled; never past maxSleep. */
  private nextPassAt(definitions: readonly ScheduleDefinition[]): number {
    const now = this.deps.clock.now();
    let next = now + this.deps.options.maxSleepMs;
    for (const { name, schedule } of definitions) {
      const handled = this.handled.get(name);
      const due = handled === undefined ? now : schedule.next(handled);
      const unsettled = Math.min(now + RETRY_MS, schedule.next(now));
      next = Math.min(next, due > now ? due : unsettled);
    }
    return next;
  }
}
