import { Duration } from '../common/duration';
import { CatchUpPolicy } from './periodic-options';

/** Options of beat, the scheduler that enqueues @Periodic tasks (module option `beat`). */
export interface BeatOptions {
  /**
   * Run beat in this process. Default true when the `beat` option is given; false only
   * configures the store, for ScheduleRegistry.pause/resume in a process that runs no
   * beat (a web app on RabbitMQ, say). `bootstrapBeat` always runs it.
   */
  run?: boolean;
  /**
   * Where the fleet-wide tick lock and the schedules' state live: `redis://...`,
   * `rediss://...` or `memory://[name]`. Default: the broker itself when it is Redis,
   * the memory broker's own store when it is memory. With RabbitMQ it must be given:
   * every beat of the fleet must use the same Redis.
   */
  lockUrl?: string;
  /** Prefix of the lock store's keys. Default `celeriac:beat:`. */
  keyPrefix?: string;
  /** Ticks missed while no beat ran: 'one' run for all of them (default, as Celery), 'none', or 'all'. */
  catchUp?: CatchUpPolicy;
  /** Most runs a schedule catches up in one go with 'all' (the newest are kept). Default 100. */
  maxCatchUp?: number;
  /** A tick reached this late counts as missed (seconds, or '10s'). Default 10 s. */
  missedAfter?: Duration;
  /**
   * How long a beat's claim on a tick holds while it enqueues (seconds, or '1m').
   * A beat that dies in between leaves the tick to another beat after this. Default 60 s.
   */
  lockTtl?: Duration;
  /** Longest sleep between two looks at the schedules (seconds, or '5s'). Default 5 s. */
  maxSleep?: Duration;
}

/** Beat's options with defaults applied. */
export interface ResolvedBeatOptions {
  run: boolean;
  lockUrl: string | undefined;
  keyPrefix: string;
  catchUp: CatchUpPolicy;
  maxCatchUp: number;
  missedAfterMs: number;
  lockTtlMs: number;
  maxSleepMs: number;
}
