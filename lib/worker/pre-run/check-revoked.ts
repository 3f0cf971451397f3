import { RevokedTasks } from '../revoked-tasks';
import { PreRunStep, RUN } from './pre-run-step';

/** A task id revoked before it ran is not run: REVOKED. */
export function checkRevoked(revoked: RevokedTasks): PreRunStep {
  return {
    name: 'revoked',
    check({ request }) {
      if (!revoked.has(request.id)) return RUN;
      return {
        action: 'revoke',
        reason: 'revoked',
        log: `Task ${request.name}[${request.id}] was revoked: not run`,
      };
    },
  };
}
