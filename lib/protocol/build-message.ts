import { parseCeleryIso, toCeleryIso } from './iso-time';
import {
  CONTENT_ENCODING_UTF8,
  CONTENT_TYPE_JSON,
  TaskEmbed,
  TaskHeaders,
  TaskMessage,
} from './message';
import { ARGSREPR_MAX_LENGTH, safeRepr } from './safe-repr';

/** Everything a v2 task message says; arguments must already be plain data. */
export interface TaskMessageInput {
  name: string;
  id: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** The sender, shown by Celery tools: `gen<pid>@<host>` by convention. */
  origin: string;
  /**
   * When to run. A Date is written with microseconds `.mmm000` and `+00:00`. A string
   * in Python's isoformat with an offset (e.g. the `eta`/`expires` header of the
   * message being retried) is kept verbatim, as Celery does on retry; other ISO-8601
   * strings are rewritten that way (a time without offset is UTC).
   */
  eta?: Date | string | null;
  /** When the task is no longer worth running; also sets `expiration` (ms). */
  expires?: Date | string | null;
  /** 0..9; what it means depends on the broker (see docs/priorities). */
  priority?: number;
  retries?: number;
  /** Seconds: [hard, soft]. */
  timeLimit?: [number | null, number | null];
  /** Defaults to `id` (also when empty), as Celery does. */
  rootId?: string;
  parentId?: string | null;
  group?: string | null;
  groupIndex?: number | null;
  ignoreResult?: boolean;
  replyTo?: string;
  /** The name Celery tools show instead of `name`. */
  shadow?: string | null;
  embed?: TaskEmbed | null;
  /**
   * Extra headers (e.g. Celery 5.3's `stamped_headers`, `stamps`), written after the
   * standard ones, in their order. They never replace a standard header.
   */
  headers?: Record<string, unknown>;
  /** The clock for `expiration`; tests pass a fixed one. */
  now?: Date;
}

export const EMPTY_EMBED: TaskEmbed = Object.freeze({
  callbacks: null,
  errbacks: null,
  chain: null,
  chord: null,
});

/**
 * Builds a protocol v2 message exactly as Celery 5.2 `as_task_v2` does: every header
 * in Celery's order, `argsrepr`/`kwargsrepr` as saferepr writes them (at most about
 * 1024 characters; no arguments is `()`, as Celery writes it), the body as compact JSON (Python writes `", "` and `": "`, which
 * is the same JSON). Throws a TypeError when `eta`/`expires` is not a time.
 */
export function buildTaskMessage(input: TaskMessageInput): TaskMessage {
  const headers: TaskHeaders = {
    lang: 'py',
    task: input.name,
    id: input.id,
    shadow: input.shadow ?? null,
    eta: isoHeader(input.eta, 'eta'),
    expires: isoHeader(input.expires, 'expires'),
    group: input.group ?? null,
    group_index: input.groupIndex ?? null,
    retries: input.retries ?? 0,
    timelimit: input.timeLimit ?? [null, null],
    root_id: input.rootId || input.id,
    parent_id: input.parentId ?? null,
    // Celery's `args = args or ()`: a call without arguments shows an empty tuple.
    argsrepr:
      input.args.length === 0
        ? '()'
        : safeRepr(input.args, { maxLength: ARGSREPR_MAX_LENGTH }),
    kwargsrepr: safeRepr(input.kwargs, { maxLength: ARGSREPR_MAX_LENGTH }),
    origin: input.origin,
    ignore_result: input.ignoreResult ?? false,
  };
  if (input.headers) addExtraHeaders(headers, input.headers);
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
    // Celery: expires_s = max(0, expires - now); kombu: str(int(expires_s * 1000)).
    const expires = timeOf(input.expires, 'expires');
    const now = input.now ?? new Date();
    const ms = Math.max(0, expires.getTime() - now.getTime());
    message.properties.expiration = String(ms);
  }
  return message;
}

function addExtraHeaders(
  headers: TaskHeaders,
  extra: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(extra)) {
    if (Object.hasOwn(headers, key)) continue;
    // Defined, not assigned, so that '__proto__' stays a header.
    Object.defineProperty(headers, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}

function isoHeader(
  value: Date | string | null | undefined,
  what: string,
): string | null {
  if (value === null || value === undefined) return null;
  const time = timeOf(value, what);
  return typeof value === 'string' && PYTHON_AWARE_ISOFORMAT.test(value)
    ? value
    : toCeleryIso(time);
}

/**
 * What Python's `isoformat()` writes for an aware datetime: kept verbatim (a retry
 * re-sends Celery's own header, microseconds included). Other ISO strings (`Z`, no
 * offset, no seconds) are rewritten in that shape, so every Celery version reads them.
 */
const PYTHON_AWARE_ISOFORMAT =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{6})?[+-]\d{2}:\d{2}$/;

function timeOf(value: Date | string, what: string): Date {
  const time =
    typeof value === 'string'
      ? parseCeleryIso(value)
      : Number.isNaN(value.getTime())
        ? null
        : value;
  if (!time) {
    throw new TypeError(
      `${what} ${JSON.stringify(String(value))} is not a valid time`,
    );
  }
  return time;
}
