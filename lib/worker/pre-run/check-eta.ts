import { PreRunStep, RUN } from './pre-run-step';

/** An eta this close is run now rather than sent back to the delay store. */
export const ETA_SLACK_MS = 10;

/**
 * A task that arrives before its eta (one Python Celery published straight to the
 * queue) goes to the broker's delay store, never into this worker's memory.
 */
export function checkEta(now: () => number = Date.now): PreRunStep {
  return {
    name: 'eta',
    check({ request }) {
      if (!request.eta || request.eta.getTime() <= now() + ETA_SLACK_MS)
        return RUN;
      return { action: 'defer', until: request.eta };
    },
  };
}
