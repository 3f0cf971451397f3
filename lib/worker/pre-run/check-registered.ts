import { ResultMeta, TaskRequest, resultMeta } from '../../protocol';
import { PreRunStep, RUN } from './pre-run-step';

/**
 * A name this worker has no task for: FAILURE NotRegistered, as Celery stores it, and
 * the message is dead-lettered so it can be replayed once the task is deployed.
 */
export function checkRegistered(): PreRunStep {
  return {
    name: 'registered',
    check({ request, task }) {
      if (task) return RUN;
      return {
        action: 'reject',
        reason: `NotRegistered: ${request.name}`,
        meta: notRegisteredMeta(request),
        log: `Received unregistered task "${request.name}" [${request.id}]: stored as FAILURE NotRegistered, dead-lettered`,
      };
    },
  };
}

/** Celery's shape for a task name no worker knows. */
export function notRegisteredMeta(request: TaskRequest): ResultMeta {
  return resultMeta(
    request.id,
    'FAILURE',
    {
      exc_type: 'NotRegistered',
      exc_message: [request.name],
      exc_module: 'celery.exceptions',
    },
    { parentId: request.parentId, groupId: request.group },
  );
}
