import { MalformedMessageError } from './errors';
import { parseCeleryIso } from './iso-time';
import { parseJson } from './json';
import { CONTENT_TYPE_JSON, TaskEmbed, TaskMessage } from './message';

/** kombu's `content_encoding` for a body that is bytes, not text. */
export const CONTENT_ENCODING_BINARY = 'binary';
import { TaskRequest } from './task-request';

/**
 * Decodes a task message into a TaskRequest. Accepts protocol v2 (the `task` header)
 * and v1 (everything in the body), Celery's full headers or only `{lang, task, id}`,
 * and the headers Celery >= 5.3 adds. Times without an offset are UTC; kombu >= 5.3
 * tagged values arrive as strings (see parseJson).
 * Throws MalformedMessageError with a reason naming the field when the message
 * cannot be run.
 */
export function parseTaskMessage(message: TaskMessage): TaskRequest {
  const contentType = message.properties?.content_type ?? CONTENT_TYPE_JSON;
  if (contentType !== CONTENT_TYPE_JSON) {
    throw new MalformedMessageError(
      `content type ${JSON.stringify(contentType)} is not supported (only ${CONTENT_TYPE_JSON})`,
      'ContentDisallowed',
    );
  }
  if (message.undecodable) {
    throw new MalformedMessageError(
      message.undecodable.reason,
      message.undecodable.excType,
    );
  }
  if (message.properties?.content_encoding === CONTENT_ENCODING_BINARY) {
    throw new MalformedMessageError('body is not UTF-8 text');
  }
  let body: unknown;
  try {
    body = parseJson(message.body);
  } catch (error) {
    throw new MalformedMessageError(
      `body is not JSON: ${(error as Error).message}`,
    );
  }
  const headers = (message.headers ?? {}) as Record<string, unknown>;
  return typeof headers.task === 'string'
    ? fromV2(message, headers, body)
    : fromV1(message, body);
}

function fromV2(
  message: TaskMessage,
  headers: Record<string, unknown>,
  body: unknown,
): TaskRequest {
  if (!Array.isArray(body) || body.length < 2) {
    throw new MalformedMessageError('body is not [args, kwargs, embed]');
  }
  const [args, kwargs, embed] = body as [unknown, unknown, unknown];
  return {
    id: requiredString(headers.id, 'id header'),
    name: requiredString(headers.task, 'task header'),
    args: argsList(args),
    kwargs: kwargsObject(kwargs),
    embed: embedOf(embed),
    eta: optionalTime(headers.eta, 'eta'),
    expires: optionalTime(headers.expires, 'expires'),
    retries: typeof headers.retries === 'number' ? headers.retries : 0,
    timeLimit: timeLimitOf(headers.timelimit),
    rootId:
      optionalString(headers.root_id) ??
      requiredString(headers.id, 'id header'),
    parentId: optionalString(headers.parent_id),
    group: optionalString(headers.group),
    groupIndex:
      typeof headers.group_index === 'number' ? headers.group_index : null,
    ignoreResult: headers.ignore_result === true,
    replyTo: optionalString(message.properties?.reply_to),
    priority: message.properties?.priority ?? 0,
    origin: optionalString(headers.origin),
    message,
  };
}

/** Protocol v1: `{task, id, args, kwargs, eta, expires, retries, ...}` in the body. */
function fromV1(message: TaskMessage, body: unknown): TaskRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new MalformedMessageError(
      'no task header and the body is not a v1 task',
    );
  }
  const v1 = body as Record<string, unknown>;
  const id = requiredString(v1.id, 'v1 body id');
  return {
    id,
    name: requiredString(v1.task, 'v1 body task'),
    args: argsList(v1.args ?? []),
    kwargs: kwargsObject(v1.kwargs ?? {}),
    embed: {
      callbacks: (v1.callbacks as unknown[]) ?? null,
      errbacks: (v1.errbacks as unknown[]) ?? null,
      chain: null,
      chord: v1.chord ?? null,
    },
    eta: optionalTime(v1.eta, 'eta'),
    expires: optionalTime(v1.expires, 'expires'),
    retries: typeof v1.retries === 'number' ? v1.retries : 0,
    timeLimit: timeLimitOf(v1.timelimit),
    rootId: id,
    parentId: null,
    group: optionalString(v1.taskset),
    groupIndex: null,
    ignoreResult: false,
    replyTo: optionalString(message.properties?.reply_to),
    priority: message.properties?.priority ?? 0,
    origin: null,
    message,
  };
}

function requiredString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new MalformedMessageError(`${what} is missing or not a string`);
  }
  return value;
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Celery's `maybe_iso8601`: null, undefined and '' mean "no time". */
function optionalTime(value: unknown, what: string): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = typeof value === 'string' ? parseCeleryIso(value) : null;
  if (!date)
    throw new MalformedMessageError(
      `${what} ${JSON.stringify(value)} is not an ISO-8601 time`,
    );
  return date;
}

function argsList(value: unknown): unknown[] {
  if (!Array.isArray(value))
    throw new MalformedMessageError('args is not a list');
  return value;
}

function kwargsObject(value: unknown): Record<string, unknown> {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedMessageError('kwargs is not a mapping');
  }
  return value as Record<string, unknown>;
}

function embedOf(value: unknown): TaskEmbed | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedMessageError(
      'embed (the third body element) is not a mapping',
    );
  }
  return value as TaskEmbed;
}

function timeLimitOf(value: unknown): {
  hard: number | null;
  soft: number | null;
} {
  if (!Array.isArray(value)) return { hard: null, soft: null };
  const [hard, soft] = value as unknown[];
  return {
    hard: typeof hard === 'number' ? hard : null,
    soft: typeof soft === 'number' ? soft : null,
  };
}
