import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaskHeaders, TaskMessage, TaskProperties } from '../../lib/protocol';

/** Reads a JSON fixture under `test/fixtures/` (e.g. `celery-5.2/result-meta-success.json`). */
export function readFixture<T = unknown>(relativePath: string): T {
  const path = join(__dirname, '..', 'fixtures', relativePath);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** A kombu Redis list value, as captured. */
export interface RedisEnvelope {
  body: string;
  'content-type': string;
  'content-encoding': string;
  headers: Record<string, unknown>;
  properties: {
    correlation_id?: string;
    reply_to?: string;
    delivery_mode?: number;
    expiration?: string;
    priority?: number;
    body_encoding?: string;
    delivery_tag: string;
    delivery_info: { exchange: string; routing_key: string };
  };
}

/** An AMQP message as py-amqp `basic_get` showed it (application_headers = AMQP headers). */
export interface AmqpCapture {
  delivery_info: { exchange: string; routing_key: string };
  properties: {
    content_type: string;
    content_encoding: string;
    application_headers: Record<string, unknown>;
    delivery_mode?: number;
    priority?: number;
    correlation_id: string;
    reply_to?: string;
    expiration?: string;
  };
  body: string;
}

/**
 * The TaskMessage a Redis transport hands to the protocol layer for this envelope:
 * the body base64-decoded when `body_encoding` says so (raw otherwise), content type and
 * encoding moved from the envelope into the properties, kombu's bookkeeping dropped.
 */
export function messageFromRedisEnvelope(envelope: RedisEnvelope): TaskMessage {
  const { properties } = envelope;
  const body =
    properties.body_encoding === 'base64'
      ? Buffer.from(envelope.body, 'base64').toString('utf8')
      : envelope.body;
  return {
    headers: envelope.headers as TaskHeaders,
    properties: definedOnly({
      correlation_id: properties.correlation_id,
      reply_to: properties.reply_to,
      content_type: envelope['content-type'],
      content_encoding: envelope['content-encoding'],
      delivery_mode: properties.delivery_mode,
      priority: properties.priority,
      expiration: properties.expiration,
    }) as unknown as TaskProperties,
    body,
  };
}

/** The TaskMessage an AMQP transport hands to the protocol layer for this delivery. */
export function messageFromAmqp(capture: AmqpCapture): TaskMessage {
  const { application_headers, ...properties } = capture.properties;
  return {
    headers: application_headers as TaskHeaders,
    properties: definedOnly(properties) as unknown as TaskProperties,
    body: capture.body,
  };
}

function definedOnly(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  );
}
