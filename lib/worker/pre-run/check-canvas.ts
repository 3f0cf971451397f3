import { resultMeta } from '../../protocol';
import { unsupportedCanvas } from '../canvas-notice';
import { PreRunStep, RUN } from './pre-run-step';

/**
 * Celeriac does not run Celery canvas yet. A message that carries some (the rest of a
 * chain, callbacks, errbacks, a chord's body) is not run: running the task alone would
 * leave what follows it waiting forever. It is stored as FAILURE `NotImplementedError`
 * naming the canvas, so its caller learns at once, and dead-lettered for replay once
 * canvas is supported.
 */
export function checkCanvas(): PreRunStep {
  return {
    name: 'canvas',
    check({ request }) {
      const canvas = unsupportedCanvas(request.embed);
      if (!canvas) return RUN;
      const why = `Celeriac does not run Celery canvas yet: task ${request.name} carries ${canvas}`;
      return {
        action: 'reject',
        reason: `NotImplementedError: ${why}`,
        meta: resultMeta(
          request.id,
          'FAILURE',
          {
            exc_type: 'NotImplementedError',
            exc_message: [why],
            exc_module: 'builtins',
          },
          { parentId: request.parentId, groupId: request.group },
        ),
        log: `Task ${request.name}[${request.id}] carries ${canvas}: Celeriac does not run Celery canvas yet; stored as FAILURE NotImplementedError, dead-lettered`,
      };
    },
  };
}
