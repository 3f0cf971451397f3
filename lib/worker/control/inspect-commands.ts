import { arch, platform, release } from 'node:os';
import {
  ControlContext,
  ControlHandler,
  RequestInHand,
  ok,
} from './control-command';
import { requestInfo } from './request-info';
import { brokerStats, rusage } from './stats';

/** Celery's revoke expiry (`REVOKE_EXPIRES`), to date the ids `hello` hands over. */
const REVOKE_EXPIRES_S = 10_800;

/** Celery's `DEFAULT_TASK_INFO_ITEMS` for `inspect registered`. */
const DEFAULT_TASK_INFO_ITEMS = ['exchange', 'routing_key', 'rate_limit'];

/**
 * The `inspect` commands of celery/worker/control.py, reading a Celeriac worker.
 * Each returns what Celery's returns, so `celery inspect` and Flower read it unchanged.
 */
export const inspectCommands: Record<string, ControlHandler> = {
  ping: () => ok('pong'),

  clock: ({ clock }) => ({ clock: clock.value }),

  stats: (context) => {
    const { target, info, clock } = context;
    return {
      total: target.totals(),
      pid: process.pid,
      clock: String(clock.value),
      uptime: Math.round((Date.now() - info.startedAt) / 1000),
      pool: {
        'max-concurrency': target.concurrency,
        processes: [process.pid],
        'max-tasks-per-child': 'N/A',
        'put-guarded-by-semaphore': false,
        timeouts: [0, 0],
        implementation: 'celeriac:async',
      },
      broker: brokerStats(info),
      prefetch_count: target.prefetch,
      rusage: rusage(),
      sw_ident: 'celeriac',
      sw_ver: info.softwareVersion,
      sw_sys: platform(),
    };
  },

  active: ({ target, node }, { safe }) =>
    target.active().map((each) => requestInfo(each, node, safe === true)),

  reserved: ({ target, node }) =>
    target.reserved().map((each) => requestInfo(each, node)),

  scheduled: ({ target, node }) =>
    target.scheduled().map((each) => ({
      eta:
        each.releaseAt === undefined
          ? null
          : new Date(each.releaseAt).toISOString(),
      priority: each.request.priority,
      request: requestInfo(each, node),
    })),

  revoked: ({ target }) => [...target.revoked().keys()],

  registered: ({ target }, { taskinfoitems }) => {
    const items = Array.isArray(taskinfoitems)
      ? taskinfoitems.map(String)
      : DEFAULT_TASK_INFO_ITEMS;
    // Celery's built-in tasks are left out, as Celery leaves them out (builtins=False).
    return target
      .tasks()
      .filter((task) => !task.name.startsWith('celery.'))
      .map((task) => {
        const fields: Record<string, unknown> = {
          rate_limit: task.policy.rateLimit?.text,
          time_limit: task.policy.timeLimit,
          soft_time_limit: task.policy.softTimeLimit,
          acks_late: task.policy.acksLate ? 'True' : 'False',
          queue: task.options.queue,
        };
        const shown = items
          .filter((item) => fields[item] !== undefined && fields[item] !== null)
          .map((item) => `${item}=${String(fields[item])}`);
        return shown.length ? `${task.name} [${shown.join(' ')}]` : task.name;
      })
      .sort();
  },

  active_queues: ({ target }) => target.queues().map(queueAsDict),

  query_task: ({ target, node }, { ids }) => {
    const wanted = new Set(
      (Array.isArray(ids) ? ids : [ids]).filter(
        (id): id is string => typeof id === 'string',
      ),
    );
    const found: Record<string, [string, Record<string, unknown>]> = {};
    const add = (state: string, list: RequestInHand[]) => {
      for (const each of list)
        if (wanted.has(each.request.id))
          found[each.request.id] = [state, requestInfo(each, node)];
    };
    add('reserved', [...target.reserved(), ...target.scheduled()]);
    add('active', target.active());
    return found;
  },

  conf: ({ info }) => info.settings,

  report: ({ info, node }) =>
    ok(
      [
        '',
        `software -> celeriac:${info.softwareVersion} node:${process.versions.node}`,
        `platform -> system:${platform()} arch:${arch()}`,
        `            kernel version:${release()}`,
        `settings -> transport:${info.transport} results:${String(info.settings.result_backend)}`,
        `node     -> ${node} pid:${process.pid}`,
        '',
      ].join('\n'),
    ),

  hello: (context, args) => helloReply(context, args),
};

/**
 * Celery's mingle (`hello`): another node starting up hands over its revoked ids and
 * asks for ours; a node never answers itself (null, as Celery's None).
 */
function helloReply(
  { node, target, clock }: ControlContext,
  { from_node, revoked }: Record<string, unknown>,
): unknown {
  if (from_node === node) return null;
  if (revoked && typeof revoked === 'object') {
    const ids = Array.isArray(revoked) ? revoked : Object.keys(revoked);
    target.revoke(
      ids.filter((id): id is string => typeof id === 'string'),
      false,
    );
  }
  const ours: Record<string, number> = {};
  for (const [id, expiresAt] of target.revoked())
    ours[id] = expiresAt / 1000 - REVOKE_EXPIRES_S;
  return { revoked: ours, clock: clock.forward() };
}

/** A queue as kombu's `Queue.as_dict(recurse=True)` of a Celery task queue. */
function queueAsDict(name: string): Record<string, unknown> {
  return {
    name,
    exchange: {
      name,
      type: 'direct',
      arguments: null,
      durable: true,
      passive: false,
      auto_delete: false,
      delivery_mode: null,
      no_declare: false,
    },
    routing_key: name,
    queue_arguments: null,
    binding_arguments: null,
    consumer_arguments: null,
    durable: true,
    exclusive: false,
    auto_delete: false,
    no_ack: false,
    alias: null,
    bindings: [],
    no_declare: null,
    expires: null,
    message_ttl: null,
    max_length: null,
    max_length_bytes: null,
    max_priority: null,
  };
}
