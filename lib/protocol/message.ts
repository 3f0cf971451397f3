/**
 * Celery protocol v2 as it travels between processes, whatever the broker.
 * Written as Celery's `celery/app/amqp.py` `as_task_v2` writes it; docs/wire-format.md.
 */

/** Headers of a v2 task message. Celery 5.2 always sends every key, null when unset. */
export interface TaskHeaders {
  lang: string;
  task: string;
  id: string;
  shadow: string | null;
  /** ISO-8601 with offset, or null. */
  eta: string | null;
  /** ISO-8601 with offset, or null. */
  expires: string | null;
  group: string | null;
  group_index: number | null;
  retries: number;
  /** [hard, soft] in seconds: Celery's code sends hard first, whatever its docs say. */
  timelimit: [number | null, number | null];
  root_id: string;
  parent_id: string | null;
  argsrepr: string;
  kwargsrepr: string;
  origin: string;
  ignore_result: boolean;
  /** Celery >= 5.3 adds stamped_headers, stamps, replaced_task_nesting; kept as they come. */
  [extra: string]: unknown;
}

/** AMQP-style message properties (kombu keeps them in the Redis envelope too). */
export interface TaskProperties {
  correlation_id: string;
  reply_to?: string;
  content_type: string;
  content_encoding: string;
  /** 2 = persistent. */
  delivery_mode: number;
  priority: number;
  /** Milliseconds, as a string (set from `expires`, as Celery does). */
  expiration?: string;
}

/**
 * One task message: headers, properties and the serialized body
 * (`[args, kwargs, embed]` as JSON text). Transports wrap it in their own envelope.
 */
export interface TaskMessage {
  headers: TaskHeaders;
  properties: TaskProperties;
  /**
   * The body as text, decompressed. A `compression` header says how transports
   * compress it on the wire (protocol/compression.ts).
   */
  body: string;
  /** Set by a transport when the wire body could not be read (then `body` is ''). */
  undecodable?: UndecodableBody;
}

/** Why a transport could not read a message's wire body (a compression it lacks...). */
export interface UndecodableBody {
  reason: string;
  excType: 'DecodeError' | 'ContentDisallowed';
}

/** The third element of the body: what runs after this task (canvas). */
export interface TaskEmbed {
  callbacks: unknown[] | null;
  errbacks: unknown[] | null;
  chain: unknown[] | null;
  chord: unknown;
}

export const CONTENT_TYPE_JSON = 'application/json';
export const CONTENT_ENCODING_UTF8 = 'utf-8';
