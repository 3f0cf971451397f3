import { ResultMeta, TaskRequest } from '../../protocol';
import { RegisteredTask } from '../../registry/registered-task';
import { Delivery } from '../../transports/transport';

/** A delivery about to run, as the pre-run checks see it. */
export interface PreRunJob {
  readonly delivery: Delivery;
  readonly request: TaskRequest;
  /** The task registered under the request's name, if this worker has one. */
  readonly task: RegisteredTask | undefined;
}

/**
 * What a check decides. `run` lets the next check look; any other decision ends the
 * checks, and the worker carries it out:
 * - `revoke`: store REVOKED and ack (an expired or revoked task is not run);
 * - `defer`: hand the delivery back to the broker's delay store until `until`;
 * - `hold`: keep it in memory for `ms`, then check it again (a near rate-limit slot;
 *   with `eta`, a task held until its eta, which takes no room from rate-limit holds);
 * - `reject`: store `meta` (a FAILURE the caller reads) and dead-letter with `reason`.
 */
export type PreRunDecision =
  | { action: 'run' }
  | { action: 'revoke'; reason: 'expired' | 'revoked'; log: string }
  | { action: 'defer'; until: Date }
  | { action: 'hold'; ms: number; eta?: boolean }
  | { action: 'reject'; reason: string; meta: ResultMeta; log: string };

export const RUN: PreRunDecision = { action: 'run' };

/**
 * One named check made before a task runs (the shape of Celery's `worker/strategy.py`:
 * what to do with this message, apart from the consume loop).
 */
export interface PreRunStep {
  readonly name: string;
  check(job: PreRunJob): PreRunDecision | Promise<PreRunDecision>;
}
