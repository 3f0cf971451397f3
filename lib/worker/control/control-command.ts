import { Logger } from '@nestjs/common';
import { TaskRequest } from '../../protocol';
import { RegisteredTask } from '../../registry/registered-task';

/** A task in hand, for `inspect active` / `reserved` / `scheduled` / `query_task`. */
export interface RequestInHand {
  request: TaskRequest;
  queue: string;
  redelivered: boolean;
  /** When it started running (ms since the epoch); null when it waits. */
  startedAt: number | null;
  acknowledged: boolean;
  /** When a held (rate-limited) task is let through, ms since the epoch. */
  releaseAt?: number;
}

/** What the remote-control commands read and change on a worker (WorkerControlTarget). */
export interface ControlTarget {
  /** Tasks running now. */
  active(): RequestInHand[];
  /** Tasks taken from the broker that wait for a slot. */
  reserved(): RequestInHand[];
  /** Tasks held in memory until a time (rate limits): Celery's scheduled ones. */
  scheduled(): RequestInHand[];
  /** Revoked ids with their expiry (ms since the epoch). */
  revoked(): Map<string, number>;
  /** Flags ids as revoked; with `terminate`, abandons those running: returns them. */
  revoke(taskIds: string[], terminate: boolean): string[];
  findTask(name: string): RegisteredTask | undefined;
  tasks(): RegisteredTask[];
  /** Tasks finished since start, by name (Celery's `total`). */
  totals(): Record<string, number>;
  readonly concurrency: number;
  readonly prefetch: number;
  /** Resizes the slots (and the prefetch that follows them). */
  setConcurrency(concurrency: number): Promise<void>;
  queues(): readonly string[];
  addQueue(queue: string): Promise<void>;
  cancelQueue(queue: string): Promise<void>;
  /** A warm shutdown, as SIGTERM. */
  shutdown(reason: string): void;
  /** The worker's events; null when its broker carries none. */
  events(): EventSwitch | null;
}

/** What `enable_events`, `disable_events` and `heartbeat` change (WorkerEvents). */
export interface EventSwitch {
  readonly taskEvents: boolean;
  /** False when task events already were on. */
  enableTaskEvents(): boolean;
  /** False when task events already were off. */
  disableTaskEvents(): boolean;
  /** Sends one `worker-heartbeat` now. */
  heartbeat(): void;
}

/** What a worker tells `stats`, `conf` and `report` about itself. */
export interface NodeInfo {
  /** `redis`, `amqp`, `memory`. */
  transport: string;
  brokerUrl: string;
  backendUrl: string;
  /** Settings for `inspect conf`, under Celery's names where there is one. */
  settings: Record<string, unknown>;
  startedAt: number;
  softwareVersion: string;
}

/** What every command handler is given. */
export interface ControlContext {
  node: string;
  target: ControlTarget;
  info: NodeInfo;
  /** The node's Lamport clock (kombu's `clock` header), read and moved forward. */
  clock: { value: number; forward(): number };
  logger: Logger;
}

/**
 * One remote-control command: Celery's `Panel` handler, called with the message's
 * `arguments`; its result is the node's reply (`{node: result}`). A handler that
 * throws replies `{error: repr(exception)}`, as kombu's Node.dispatch.
 */
export type ControlHandler = (
  context: ControlContext,
  args: Record<string, unknown>,
) => unknown;

/** Celery's `ok(value)` and `nok(value)` replies (celery/worker/control.py). */
export const ok = (value: unknown) => ({ ok: value });
export const nok = (value: unknown) => ({ error: value });
