import { Delivery } from '../../transports/transport';
import { RateGate } from '../rate-gate';
import { PreRunStep, RUN } from './pre-run-step';

/** A rate-limited task due within this is held in memory; a later one goes to the delay store. */
export const RATE_HOLD_MAX_MS = 1000;

/**
 * Rate limits make tasks wait, never fail. A task whose slot is near waits in memory
 * (without a concurrency slot) when `canHold()` says there is room; a later one waits
 * in the broker's delay store, its slot remembered for when it comes back.
 */
export function checkRateLimit(
  gate: RateGate,
  canHold: () => boolean,
): PreRunStep {
  // Deliveries held for their slot: when they come back they run without asking again.
  const admitted = new WeakSet<Delivery>();
  return {
    name: 'rate-limit',
    async check({ delivery, request, task }) {
      if (!task || !(task.policy.rateLimit || task.policy.fleetRateLimit))
        return RUN;
      if (admitted.delete(delivery)) return RUN;
      const { waitMs, reserved } = await gate.wait(task, request);
      if (waitMs <= 0) return RUN;
      if (waitMs <= RATE_HOLD_MAX_MS && canHold()) {
        if (reserved) admitted.add(delivery);
        return { action: 'hold', ms: waitMs };
      }
      const at = Date.now() + waitMs;
      if (reserved) gate.remember(request.id, at);
      return { action: 'defer', until: new Date(at) };
    },
  };
}
