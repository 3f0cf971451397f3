import { WorkerView } from './worker-view';

/**
 * Where the dashboard reads the fleet and sends its worker actions. The default asks
 * the workers over remote control (`FleetWorkerSource`); a source fed by the events
 * stream (heartbeats) can replace it through the `DASHBOARD_WORKERS` token.
 */
export interface WorkerSource {
  /** Every worker seen lately, online first, by node name. */
  workers(): Promise<WorkerView[]>;
  /** Remote control on one node: `pool_grow`, `pool_shrink`, `shutdown`; its reply. */
  control(node: string, command: WorkerCommand, n?: number): Promise<unknown>;
}

/** The worker actions the dashboard offers. */
export type WorkerCommand = 'pool_grow' | 'pool_shrink' | 'shutdown';

export const WORKER_COMMANDS: readonly WorkerCommand[] = [
  'pool_grow',
  'pool_shrink',
  'shutdown',
];
