import { Inject, Injectable } from '@nestjs/common';
import { Duration, toMilliseconds } from '../common/duration';
import { CONTROL_BUS } from '../options/tokens';
import { ControlBus, ControlMessage } from '../transports/control-bus';
import { NoControlBusError } from './errors';

/** Which workers a command is for, and how long to wait for their replies. */
export interface FleetCallOptions {
  /** Only these node names (`celeriac@host`, `celery@host`); default every worker. */
  destination?: string[];
  /** How long to collect replies (seconds or '2s'). Default 1 s, as Celery's. */
  timeout?: Duration;
  /** Stop once this many replied. Default: the number of destinations, else none. */
  limit?: number;
}

/** A task as a worker's `inspect active` / `reserved` lists it (Celery's `Request.info()`). */
export interface WorkerTaskInfo {
  id: string;
  name: string;
  args: unknown;
  kwargs: unknown;
  type: string;
  hostname: string;
  time_start: number | null;
  acknowledged: boolean;
  delivery_info: {
    exchange: string;
    routing_key: string;
    priority: number | null;
    redelivered: boolean;
  };
  worker_pid: number | null;
}

/** The replies of the inspect commands whose shape Celery fixes, by command. */
export interface InspectReplies {
  ping: { ok: 'pong' };
  stats: Record<string, unknown> & {
    pid: number;
    total: Record<string, number>;
    pool: Record<string, unknown>;
  };
  active: WorkerTaskInfo[];
  reserved: WorkerTaskInfo[];
  scheduled: {
    eta: string | null;
    priority: number;
    request: WorkerTaskInfo;
  }[];
  registered: string[];
  active_queues: (Record<string, unknown> & { name: string })[];
  revoked: string[];
  query_task: Record<string, [string, WorkerTaskInfo]>;
  conf: Record<string, unknown>;
  report: { ok: string };
  clock: { clock: number };
}

/** Replies keyed by node name: `{'celeriac@host': ..., 'celery@other': ...}`. */
export type NodeReplies<T> = Record<string, T>;

/**
 * Celery's `app.control` from TypeScript: asks the whole fleet (Python and Celeriac
 * workers alike) over the broker's pidbox and gathers the replies within a timeout,
 * keyed by node name. A node that does not answer in time is simply absent.
 *
 * ```ts
 * const alive = await fleet.ping();            // { 'celeriac@web-1': { ok: 'pong' }, ... }
 * const running = await fleet.inspect('active');
 * await fleet.broadcast('rate_limit', { task_name: 'videos.transcode', rate_limit: '10/m' });
 * ```
 */
@Injectable()
export class FleetControl {
  constructor(@Inject(CONTROL_BUS) private readonly bus: ControlBus | null) {}

  /** Every worker that answers a ping within the timeout (Celery's default 1 s). */
  ping(options: FleetCallOptions = {}): Promise<NodeReplies<{ ok: 'pong' }>> {
    return this.inspect('ping', {}, options);
  }

  /** An inspect command (`active`, `stats`, `registered`, ...), replies by node. */
  inspect<C extends keyof InspectReplies>(
    command: C,
    args?: Record<string, unknown>,
    options?: FleetCallOptions,
  ): Promise<NodeReplies<InspectReplies[C]>>;
  inspect(
    command: string,
    args?: Record<string, unknown>,
    options?: FleetCallOptions,
  ): Promise<NodeReplies<unknown>>;
  inspect(
    command: string,
    args: Record<string, unknown> = {},
    options: FleetCallOptions = {},
  ): Promise<NodeReplies<unknown>> {
    return this.call(command, args, options);
  }

  /**
   * A control command (`rate_limit`, `add_consumer`, `pool_grow`, `shutdown`, ...):
   * replies by node (`{ok: ...}` or `{error: ...}`), or, with `reply: false`, sent
   * without waiting for any (resolves with `{}`).
   */
  async broadcast<T = { ok?: unknown; error?: unknown }>(
    command: string,
    args: Record<string, unknown> = {},
    options: FleetCallOptions & { reply?: boolean } = {},
  ): Promise<NodeReplies<T>> {
    if (options.reply === false) {
      await this.requireBus().broadcastControl(
        messageOf(command, args, options),
      );
      return {};
    }
    return (await this.call(command, args, options)) as NodeReplies<T>;
  }

  private async call(
    command: string,
    args: Record<string, unknown>,
    options: FleetCallOptions,
  ): Promise<NodeReplies<unknown>> {
    const timeoutMs = toMilliseconds(options.timeout ?? 1, 's', 'timeout');
    const limit = options.limit ?? options.destination?.length;
    const replies = await this.requireBus().callControl(
      messageOf(command, args, options),
      { timeoutMs, limit },
    );
    // Celery's flatten_reply: one map, the last reply of a node wins.
    return Object.assign({}, ...replies) as NodeReplies<unknown>;
  }

  private requireBus(): ControlBus {
    if (!this.bus) throw new NoControlBusError();
    return this.bus;
  }
}

function messageOf(
  command: string,
  args: Record<string, unknown>,
  options: FleetCallOptions,
): ControlMessage {
  return {
    method: command,
    arguments: args,
    destination: options.destination?.length ? options.destination : null,
    pattern: null,
    matcher: null,
  };
}
