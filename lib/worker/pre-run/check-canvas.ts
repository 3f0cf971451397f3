import { unsupportedCanvas } from '../canvas-notice';
import { PreRunStep, RUN } from './pre-run-step';

/**
 * Celeriac does not run Celery canvas yet: the task runs, and the worker warns that
 * what should follow it (a chain's rest, callbacks, a chord's body) will not.
 */
export function checkCanvas(warn: (message: string) => void): PreRunStep {
  return {
    name: 'canvas',
    check({ request }) {
      const canvas = unsupportedCanvas(request.embed);
      if (canvas) {
        warn(
          `Task ${request.name}[${request.id}] carries ${canvas}: Celeriac does not run Celery canvas yet, so only this task runs`,
        );
      }
      return RUN;
    },
  };
}
