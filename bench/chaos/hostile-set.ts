import { TaskMessage } from '../../lib/protocol';
import { taskMessage } from '../../test/support/task-messages';

/**
 * Malformed and hostile task messages, as a careless or hostile producer would publish
 * them: broken bodies, wrong types in every header, unknown tasks and content types,
 * prototype keys, deep nesting, oversize arguments. A worker must settle each (fail,
 * reject or dead-letter it), keep running, and leave none in the queue.
 */
export function hostileTaskMessages(tag: string): TaskMessage[] {
  const variants: ((m: TaskMessage) => void)[] = [
    (m) => (m.body = '[[1], {}, '),
    (m) => (m.body = '{}'),
    (m) => (m.body = '[]'),
    (m) => (m.body = 'null'),
    (m) => (m.body = '[1, 2, 3]'),
    (m) => (m.body = '[[], [], {}]'),
    (m) => (m.body = '\uffff\u0000\u0001'),
    (m) => (m.body = '['.repeat(100_000) + ']'.repeat(100_000)),
    (m) => (m.body = `[["${'x'.repeat(1_000_000)}"], {}, {}]`),
    (m) => (m.body = '[[], {"__proto__": {"polluted": true}}, {}]'),
    (m) => (m.body = '[[], {"constructor": {"prototype": {"p": 1}}}, {}]'),
    (m) => (m.body = `[["${tag}-extra", 1, 2, 3, 4], {}, {}]`),
    (m) => (m.body = `[["${tag}-kw", 1], {"nope": 1}, {}]`),
    (m) => (m.body = `[[{}, "soon"], {}, {}]`),
    (m) =>
      (m.body = `[["${tag}-embed", 1], {}, {"callbacks": "nope", "errbacks": 5, "chain": {}, "chord": 7}]`),
    (m) =>
      (m.body = `[["${tag}-chain", 1], {}, {"callbacks": null, "errbacks": null, "chain": [{"task": 5}], "chord": null}]`),
    (m) => (m.properties.content_type = 'application/x-python-serialize'),
    (m) => (m.properties.content_type = 'application/x-yaml'),
    (m) => (m.properties.content_encoding = 'binary'),
    (m) => Object.assign(m.headers, { compression: 'gzip' }),
    (m) => Object.assign(m.headers, { compression: 'lzma-from-mars' }),
    (m) => (m.headers.task = 'no.such.task'),
    (m) => (m.headers.task = ''),
    (m) => Object.assign(m.headers, { task: 123 }),
    (m) => Object.assign(m.headers, { id: null }),
    (m) => Object.assign(m.headers, { id: { nested: true } }),
    (m) => Object.assign(m.headers, { expires: 'not a date' }),
    (m) => Object.assign(m.headers, { retries: 'many' }),
    (m) => Object.assign(m.headers, { retries: -5 }),
    (m) => Object.assign(m.headers, { timelimit: ['x', {}] }),
    (m) => Object.assign(m.headers, { timelimit: 'forever' }),
    (m) => Object.assign(m.headers, { root_id: 5, parent_id: [] }),
    (m) => Object.assign(m.headers, { group: {}, group_index: 'first' }),
    (m) => Object.assign(m.headers, { argsrepr: 'r'.repeat(200_000) }),
    (m) => Object.assign(m, { headers: null }),
    (m) => Object.assign(m, { properties: null }),
    (m) =>
      Object.assign(m, {
        headers: {},
        body: '{"task": "no.such.v1", "id": "v1", "args": [], "kwargs": {}}',
      }),
  ];
  return variants.map((mutate, n) => {
    const message = taskMessage('chaos.work', [`${tag}-v${n}`, 1]);
    mutate(message);
    return message;
  });
}

/** Envelopes that are not messages at all (for a raw push to the broker). */
export const HOSTILE_RAW: string[] = [
  'garbage',
  '',
  '{}',
  '[]',
  'null',
  '42',
  '{"body": 5}',
  '{"body": "!!!not base64", "properties": {"body_encoding": "base64"}}',
  '{"headers": "x", "properties": null, "body": ""}',
  '{"headers": {"task": "chaos.work"}, "properties": {}, "body": "W10="}',
  '\u0000\u0001\u0002',
  'x'.repeat(2_000_000),
];
