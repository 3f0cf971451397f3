import { ControlHandler, nok, ok } from './control-command';

/**
 * The worker commands of celery/worker/control.py: queues, pool size, shutdown,
 * heartbeat and the events switch.
 */
export const workerCommands: Record<string, ControlHandler> = {
  add_consumer: ({ target, logger }, { queue }) => {
    if (typeof queue !== 'string' || queue === '')
      return nok('add_consumer needs a queue name');
    // As Celery (call_soon): the reply does not wait for the consumer to start.
    target
      .addQueue(queue)
      .catch((error: unknown) =>
        logger.error(`Could not consume ${queue}: ${String(error)}`),
      );
    return ok(`add consumer ${queue}`);
  },

  cancel_consumer: ({ target, logger }, { queue }) => {
    if (typeof queue !== 'string' || queue === '')
      return nok('cancel_consumer needs a queue name');
    target
      .cancelQueue(queue)
      .catch((error: unknown) =>
        logger.error(`Could not stop consuming ${queue}: ${String(error)}`),
      );
    return ok(`no longer consuming from ${queue}`);
  },

  pool_grow: ({ target, logger }, { n }) => {
    void target
      .setConcurrency(target.concurrency + count(n))
      .catch((error: unknown) =>
        logger.error(`Could not grow the pool: ${String(error)}`),
      );
    return ok('pool will grow');
  },

  pool_shrink: ({ target, logger }, { n }) => {
    const next = target.concurrency - count(n);
    if (next < 1)
      return nok(
        `pool_shrink: cannot shrink below 1 (concurrency is ${target.concurrency})`,
      );
    void target
      .setConcurrency(next)
      .catch((error: unknown) =>
        logger.error(`Could not shrink the pool: ${String(error)}`),
      );
    return ok('pool will shrink');
  },

  shutdown: ({ target, logger }, { msg }) => {
    const reason = typeof msg === 'string' ? msg : 'Got shutdown from remote';
    logger.warn(reason);
    target.shutdown(reason);
    return SHUTDOWN;
  },

  // Celery's heartbeat sends a worker-heartbeat event and replies None.
  heartbeat: ({ target }) => {
    target.events()?.heartbeat();
    return null;
  },

  enable_events: ({ target, logger }) => {
    const events = target.events();
    if (!events) return nok("this worker's broker carries no events");
    if (!events.enableTaskEvents()) return ok('task events already enabled');
    logger.log('Events of group {task} enabled by remote.');
    return ok('task events enabled');
  },

  disable_events: ({ target, logger }) => {
    const events = target.events();
    if (!events) return nok("this worker's broker carries no events");
    if (!events.disableTaskEvents()) return ok('task events already disabled');
    logger.log('Events of group {task} disabled by remote.');
    return ok('task events disabled');
  },
};

/**
 * What `shutdown` returns: Celery's raises WorkerShutdown, so no reply is sent; the
 * dispatcher sends none for it either.
 */
export const SHUTDOWN = Symbol('shutdown');

function count(value: unknown): number {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0
    ? number
    : 1;
}
