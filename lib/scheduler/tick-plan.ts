import { CatchUpPolicy } from '../options/periodic-options';
import { Schedule } from './schedule';

export interface PlanPolicy {
  catchUp: CatchUpPolicy;
  /** Most ticks run in one plan (the newest are kept). */
  maxCatchUp: number;
  /** A tick more than this late is missed; a tick less late is on time and always runs. */
  missedAfterMs: number;
}

/** What beat does now for one schedule. */
export interface TickPlan {
  /** Ticks to claim and enqueue, oldest first. */
  run: number[];
  /** A tick to record as handled without running it ('none' dropping missed ticks). */
  skipTo: number | null;
  /** True when some due ticks were missed (late), for the log. */
  missed: boolean;
  /** True when some missed ticks are not run (dropped by the policy or maxCatchUp). */
  dropped: boolean;
}

/**
 * Which due ticks (after `handled`, at or before `now`) run. Ticks on time all run.
 * Missed ones follow the policy: 'none' drops them; 'one' runs the latest of them only
 * when no tick on time runs (one run stands for the whole gap, as in Celery); 'all'
 * runs each, up to `maxCatchUp` in all. Dropped ticks are handled by handling a later one.
 */
export function planTicks(
  schedule: Schedule,
  handled: number,
  now: number,
  policy: PlanPolicy,
): TickPlan {
  const onTime: number[] = []; // newest first
  const late: number[] = [];
  let tick = schedule.previous(now);
  while (
    tick !== undefined &&
    tick > handled &&
    onTime.length + late.length < policy.maxCatchUp
  ) {
    if (now - tick <= policy.missedAfterMs) onTime.push(tick);
    else {
      late.push(tick);
      if (policy.catchUp !== 'all') break; // older missed ticks change nothing
    }
    tick = schedule.previous(tick - 1);
  }
  const missed = late.length > 0 || (tick !== undefined && tick > handled);
  let run: number[];
  if (policy.catchUp === 'all') run = [...onTime, ...late];
  else if (policy.catchUp === 'one' && onTime.length === 0)
    run = late.slice(0, 1);
  else run = onTime;
  const skipTo = run.length === 0 && late.length > 0 ? late[0] : null;
  const dropped =
    late.some((t) => !run.includes(t)) ||
    (tick !== undefined && tick > handled);
  return { run: run.reverse(), skipTo, missed, dropped };
}
