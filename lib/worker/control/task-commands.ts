import { parseRate } from '../../rate-limit/rate';
import { ControlHandler, nok, ok } from './control-command';

/** The task commands of celery/worker/control.py: revoke, terminate, rate and time limits. */
export const taskCommands: Record<string, ControlHandler> = {
  revoke: ({ target, logger }, { task_id, terminate }) => {
    const ids = [...new Set(idsOf(task_id))];
    const terminated = target.revoke(ids, terminate === true);
    if (terminate === true) {
      if (terminated.length === 0) return ok('terminate: tasks unknown');
      return ok(`terminate: ${terminated.join(', ')}`);
    }
    logger.log(`Tasks flagged as revoked: ${ids.join(', ')}`);
    return ok(`tasks ${ids.join(', ')} flagged as revoked`);
  },

  terminate: (context, { task_id, signal }) =>
    taskCommands.revoke(context, { task_id, signal, terminate: true }),

  rate_limit: ({ target, logger }, { task_name, rate_limit }) => {
    let rate;
    try {
      rate = parseRate(rate_limit ?? 0);
    } catch (error) {
      return nok(`Invalid rate limit string: ${(error as Error).message}`);
    }
    const task = target.findTask(String(task_name));
    if (!task) {
      logger.error(`Rate limit attempt for unknown task ${String(task_name)}`);
      return nok('unknown task');
    }
    task.policy.rateLimit = rate;
    if (!rate) {
      logger.log(`Rate limits disabled for tasks of type ${task.name}`);
      return ok('rate limit disabled successfully');
    }
    logger.log(`New rate limit for tasks of type ${task.name}: ${rate.text}.`);
    return ok('new rate limit set successfully');
  },

  time_limit: ({ target, logger }, { task_name, hard, soft }) => {
    const task = target.findTask(String(task_name));
    if (!task) {
      logger.error(
        `Change time limit attempt for unknown task ${String(task_name)}`,
      );
      return nok('unknown task');
    }
    // As Celery: both are set, a missing one clears that limit.
    task.policy.softTimeLimit = seconds(soft);
    task.policy.timeLimit = seconds(hard);
    logger.log(
      `New time limits for tasks of type ${task.name}: soft=${String(task.policy.softTimeLimit)} hard=${String(task.policy.timeLimit)}`,
    );
    return ok('time limits set successfully');
  },
};

function idsOf(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter(
    (id): id is string => typeof id === 'string' && id !== '',
  );
}

function seconds(value: unknown): number | null {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0
    ? number
    : null;
}
