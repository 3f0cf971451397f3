import { CELERIAC_VERSION } from '../../common/version';
import {
  ResolvedOptions,
  ResolvedWorkerOptions,
} from '../../options/resolve-options';
import { NodeInfo } from './control-command';
import { maskUrl } from './mask-url';

/**
 * What a worker tells `inspect stats`, `conf` and `report`: its settings under Celery's
 * names where Celery has one, URLs with their passwords masked (never a secret).
 */
export function nodeInfoOf(
  options: ResolvedOptions,
  worker: ResolvedWorkerOptions,
  transport: string,
): Omit<NodeInfo, 'startedAt'> {
  return {
    transport,
    brokerUrl: maskUrl(options.broker),
    backendUrl: maskUrl(options.backend),
    softwareVersion: CELERIAC_VERSION,
    settings: {
      broker_url: maskUrl(options.broker),
      result_backend: maskUrl(options.backend),
      result_expires: options.resultExpiresSeconds,
      task_default_queue: options.defaultQueue,
      task_queues: [...worker.queues],
      task_always_eager: options.eager,
      worker_concurrency: worker.concurrency,
      worker_prefetch_multiplier: worker.prefetchMultiplier,
      worker_shutdown_timeout: worker.shutdownTimeoutMs / 1000,
      worker_revoke_expires: options.revokeExpiresSeconds,
      worker_send_task_events: worker.taskEvents ?? options.events.tasks,
      task_send_sent_event: options.events.sent,
    },
  };
}
