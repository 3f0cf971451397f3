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
  // An instance the app gave has no URL: its kind stands for it.
  const brokerUrl =
    options.broker === null ? `${transport}://` : maskUrl(options.broker);
  const backendUrl =
    options.backend === null
      ? `${options.resultBackend?.kind ?? ''}://`
      : maskUrl(options.backend);
  return {
    transport,
    brokerUrl,
    backendUrl,
    softwareVersion: CELERIAC_VERSION,
    settings: {
      broker_url: brokerUrl,
      result_backend: backendUrl,
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
