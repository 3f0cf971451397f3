import { toCeleryIso } from './iso-time';
import {
  CONTENT_ENCODING_UTF8,
  CONTENT_TYPE_JSON,
  TaskEmbed,
  TaskHeaders,
  TaskMessage,
} from './message';
import { ARGSREPR_MAX_LENGTH, pythonRepr } from './python-repr';

/** Everything a v2 task message says; arguments must already be plain data. */
export interface TaskMessageInput {
  name: string;
  id: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** The sender, shown by Celery tools: `gen<pid>@<host>` by convention. */
  origin: string;
  eta?: Date | null;
  expires?: Date | null;
  /** 0..9; what it means depends on the broker (see docs/priorities). */
  priority?: number;
  retries?: number;
  /** Seconds: [hard, soft]. */
  timeLimit?: [number | null, number | null];
  rootId?: string;
  parentId?: string | null;
  group?: string | null;
  groupIndex?: number | null;
  ignoreResult?: boolean;
  replyTo?: string;
  embed?: TaskEmbed | null;
  /** Extra headers, kept after the standard ones. */
  headers?: Record<string, unknown>;
  /** The clock for `expiration`; tests pass a fixed one. */
  now?: Date;
}

export const EMPTY_EMBED: TaskEmbed = Object.freeze({
  callbacks: null,
  errbacks: null,
  chain: null,
  chord: null,
}) as TaskEmbed;

/** Builds a protocol v2 message exactly as Celery 5.2 `as_task_v2` does. */
export function buildTaskMessage(input: TaskMessageInput): TaskMessage {
  const headers: TaskHeaders = {
    lang: 'py',
    task: input.name,
    id: input.id,
    shadow: null,
    eta: input.eta ? toCeleryIso(input.eta) : null,
    expires: input.expires ? toCeleryIso(input.expires) : null,
    group: input.group ?? null,
    group_index: input.groupIndex ?? null,
    retries: input.retries ?? 0,
    timelimit: input.timeLimit ?? [null, null],
    root_id: input.rootId ?? input.id,
    parent_id: input.parentId ?? null,
    argsrepr: pythonRepr(input.args, { maxLength: ARGSREPR_MAX_LENGTH }),
    kwargsrepr: pythonRepr(input.kwargs, { maxLength: ARGSREPR_MAX_LENGTH }),
    origin: input.origin,
    ignore_result: input.ignoreResult ?? false,
  };
  for (const [key, value] of Object.entries(input.headers ?? {})) {
    if (!(key in headers)) headers[key] = value;
  }
  const message: TaskMessage = {
    headers,
    properties: {
      correlation_id: input.id,
      ...(input.replyTo ? { reply_to: input.replyTo } : {}),
      content_type: CONTENT_TYPE_JSON,
      content_encoding: CONTENT_ENCODING_UTF8,
      delivery_mode: 2,
      priority: input.priority ?? 0,
    },
    body: JSON.stringify([
      input.args,
      input.kwargs,
      input.embed ?? EMPTY_EMBED,
    ]),
  };
  if (input.expires) {
    const now = input.now ?? new Date();
    const ms = Math.max(0, input.expires.getTime() - now.getTime());
    message.properties.expiration = String(ms);
  }
  return message;
}
