import { CeleryWorkerEvent } from '../../events/celery-event';
import { workerSoftware } from '../worker-view';

/** A worker's last heartbeat as the page shows it (its Load column and liveness). */
export interface WorkerBeat {
  node: string;
  language: string;
  software: string;
  online: boolean;
  active: number | null;
  processed: number | null;
  load: number[] | null;
  /** Seconds between its heartbeats. */
  freq: number;
  /** Its last heartbeat (ISO 8601). */
  lastHeartbeat: string;
}

export function workerBeat(event: CeleryWorkerEvent): WorkerBeat {
  return {
    node: event.hostname,
    ...workerSoftware(event.sw_ident, event.sw_ver),
    online: event.type !== 'worker-offline',
    active: typeof event.active === 'number' ? event.active : null,
    processed: typeof event.processed === 'number' ? event.processed : null,
    load: Array.isArray(event.loadavg)
      ? event.loadavg.filter((n): n is number => typeof n === 'number')
      : null,
    freq: typeof event.freq === 'number' ? event.freq : 2,
    lastHeartbeat: new Date(event.timestamp * 1000).toISOString(),
  };
}
