import { TaskRequest } from '../protocol';
import { SoftTimeLimitExceeded, TimeLimitExceeded } from './errors';
import { RunControl } from './run-control';
import { TaskPolicy } from '../registry/task-policy';

/** Seconds; null when unset. */
export interface TimeLimits {
  hard: number | null;
  soft: number | null;
}

/**
 * The limits of one run: the message's `timelimit` header ([hard, soft], written by a
 * call's timeLimit/softTimeLimit or by Celery) wins, field by field, over the task's.
 */
export function timeLimitsFor(
  policy: TaskPolicy,
  request: TaskRequest,
): TimeLimits {
  return {
    hard: positive(request.timeLimit.hard) ?? policy.timeLimit,
    soft: positive(request.timeLimit.soft) ?? policy.softTimeLimit,
  };
}

/**
 * Arms the timers of `limits` on `control` and returns what disarms them. The soft
 * limit aborts the task's signal; the hard one abandons the task. No limit, no timer.
 */
export function armTimeLimits(
  control: RunControl,
  limits: TimeLimits,
): () => void {
  if (limits.hard === null && limits.soft === null) return disarmNothing;
  const timers: NodeJS.Timeout[] = [];
  const { soft, hard } = limits;
  if (soft !== null && soft * 1000 <= MAX_TIMER_MS) {
    timers.push(
      setTimeout(
        () => control.interrupt(new SoftTimeLimitExceeded(soft)),
        soft * 1000,
      ),
    );
  }
  if (hard !== null && hard * 1000 <= MAX_TIMER_MS) {
    timers.push(
      setTimeout(
        () => control.abandon(new TimeLimitExceeded(hard)),
        hard * 1000,
      ),
    );
  }
  return () => timers.forEach((timer) => clearTimeout(timer));
}

/** Node timers take at most 2^31-1 ms (24.8 days); a longer limit is no limit. */
const MAX_TIMER_MS = 2_147_483_647;

function disarmNothing(): void {}

function positive(value: number | null): number | null {
  return value !== null && Number.isFinite(value) && value > 0 ? value : null;
}
