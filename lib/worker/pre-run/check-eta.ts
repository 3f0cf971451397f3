import { PreRunStep, RUN } from './pre-run-step';

/** An eta this close is run now rather than held or deferred. */
export const ETA_SLACK_MS = 10;
/**
 * Longest single hold of an eta delivery; a later eta is checked again after it (a
 * timer cannot wait past ~24.8 days, and revokes and expiry are looked at each time).
 */
export const ETA_HOLD_MAX_MS = 3_600_000;

/**
 * A task that arrives before its eta. Where eta messages wait on the queue itself
 * (`delivery.holdForEta`: Redis without the delay store, as Celery sends them) the
 * worker holds it, unsettled, until due, as Celery's worker does; elsewhere it goes to
 * the broker's delay store (RabbitMQ's delay levels, Redis's delay store), never into
 * this worker's memory.
 */
export function checkEta(now: () => number = Date.now): PreRunStep {
  return {
    name: 'eta',
    check({ delivery, request }) {
      const wait = request.eta ? request.eta.getTime() - now() : 0;
      if (wait <= ETA_SLACK_MS) return RUN;
      if (delivery.holdForEta)
        return {
          action: 'hold',
          ms: Math.min(wait, ETA_HOLD_MAX_MS),
          eta: true,
        };
      return { action: 'defer', until: request.eta! };
    },
  };
}
