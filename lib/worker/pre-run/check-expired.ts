import { PreRunStep, RUN } from './pre-run-step';

/** Past its `expires`, a task is not run: REVOKED, as Celery stores it. */
export function checkExpired(now: () => number = Date.now): PreRunStep {
  return {
    name: 'expired',
    check({ request }) {
      if (!request.expires || request.expires.getTime() > now()) return RUN;
      return {
        action: 'revoke',
        reason: 'expired',
        log: `Task ${request.name}[${request.id}] expired at ${request.expires.toISOString()}: not run`,
      };
    },
  };
}
