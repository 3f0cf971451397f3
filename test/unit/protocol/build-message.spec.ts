import {
  EMPTY_EMBED,
  TaskEmbed,
  TaskHeaders,
  TaskMessage,
  TaskMessageInput,
  buildTaskMessage,
  parseCeleryIso,
  parseJson,
} from '../../../lib/protocol';
import {
  AmqpCapture,
  RedisEnvelope,
  messageFromAmqp,
  messageFromRedisEnvelope,
  readFixture,
} from '../../support/celery-fixtures';

const redis = (name: string) =>
  messageFromRedisEnvelope(readFixture<RedisEnvelope>(`celery-5.2/${name}`));
const amqp = (name: string) =>
  messageFromAmqp(readFixture<AmqpCapture>(`celery-5.2/${name}`));

/** Same keys in the same order, and the same values. */
function expectSameHeaders(
  actual: Record<string, unknown>,
  captured: Record<string, unknown>,
): void {
  expect(Object.keys(actual)).toEqual(Object.keys(captured));
  for (const key of Object.keys(captured)) {
    expect([key, actual[key]]).toEqual([key, captured[key]]);
  }
}

/** Python writes `", "` and `": "`, JSON.stringify writes no spaces: compare values. */
function expectSameBody(actual: string, captured: string): void {
  expect(parseJson(actual)).toEqual(parseJson(captured));
}

const CELERY_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;

describe('buildTaskMessage against Celery 5.2.6 captures', () => {
  describe("send_task('tasks.add', args=[2, 3]) on Redis", () => {
    const captured = redis('redis-send-task-add.json');
    const built = buildTaskMessage({
      name: 'tasks.add',
      id: 'a5e7a51a-0600-40ac-a93f-3e84ca69a206',
      args: [2, 3],
      kwargs: {},
      origin: 'gen6276@vm',
      replyTo: '85f5d540-71b9-338c-91e0-809ff8345d83',
    });

    it('writes the captured headers, key by key and in order', () => {
      expectSameHeaders(built.headers, captured.headers);
    });

    it('writes the captured properties', () => {
      expect(built.properties).toEqual(captured.properties);
      expect(built.properties.expiration).toBeUndefined();
    });

    it('writes the captured body (compared as parsed JSON: Python spaces differ)', () => {
      expectSameBody(built.body, captured.body);
      expect(built.body).toBe(
        '[[2,3],{},{"callbacks":null,"errbacks":null,"chain":null,"chord":null}]',
      );
    });
  });

  describe("send_task(..., kwargs={'z': 1}, countdown=10, expires=60, priority=5) on Redis", () => {
    const captured = redis('redis-countdown-expires-priority.json');
    // Celery took now = 02:39:09.867098, eta = now + 10 s, expires = now + 60 s.
    const now = new Date('2026-11-22T02:39:09.867Z');
    const input: TaskMessageInput = {
      name: 'tasks.add',
      id: '619a6a4d-d592-491a-aa3f-fbae5de5d3a2',
      args: [2, 3],
      kwargs: { z: 1 },
      origin: 'gen6276@vm',
      replyTo: '85f5d540-71b9-338c-91e0-809ff8345d83',
      eta: new Date(now.getTime() + 10_000),
      expires: new Date(now.getTime() + 60_000),
      priority: 5,
      now,
    };

    it('writes the captured headers; from Dates, eta/expires equal the capture to the millisecond (JS Dates have no microseconds)', () => {
      const built = buildTaskMessage(input);
      expect(Object.keys(built.headers)).toEqual(Object.keys(captured.headers));
      for (const key of ['eta', 'expires']) {
        const value = built.headers[key] as string;
        expect(value).toMatch(CELERY_ISO);
        expect(parseCeleryIso(value)).toEqual(
          parseCeleryIso(captured.headers[key] as string),
        );
      }
      expect(built.headers.eta).toBe('2026-11-22T02:39:19.867000+00:00');
      expectSameHeaders(
        { ...built.headers, eta: null, expires: null },
        { ...captured.headers, eta: null, expires: null },
      );
    });

    it('writes the captured headers exactly when given the captured ISO times', () => {
      const built = buildTaskMessage({
        ...input,
        eta: '2026-11-22T02:39:19.867098+00:00',
        expires: '2026-11-22T02:40:09.867098+00:00',
      });
      expectSameHeaders(built.headers, captured.headers);
    });

    it('writes the captured properties: priority 5 and expiration "60000" (ms, a string)', () => {
      const built = buildTaskMessage(input);
      expect(built.properties).toEqual(captured.properties);
      expect(built.properties.expiration).toBe('60000');
    });

    it('writes the captured body (compared as parsed JSON)', () => {
      expectSameBody(buildTaskMessage(input).body, captured.body);
    });
  });

  describe('the AMQP task message (basic_get on queue celery)', () => {
    const captured = amqp('amqp-task-message.json');
    const built = buildTaskMessage({
      name: 'tasks.add',
      id: '7aa400b8-3f5d-4c1e-9b2a-6d8e0f1c2a34',
      args: [2, 3],
      kwargs: {},
      origin: 'gen9569@vm',
      replyTo: '4d5441d0-9f2f-3a07-a2f5-2499ca0dd852',
    });

    it('writes the captured application_headers, key by key and in order', () => {
      expectSameHeaders(built.headers, captured.headers);
    });

    it('writes the captured properties', () => {
      expect(built.properties).toEqual(captured.properties);
    });

    it('writes the captured body (compared as parsed JSON)', () => {
      expectSameBody(built.body, captured.body);
    });
  });

  describe('the retry re-publish (self.retry(countdown=1), same id)', () => {
    const captured = readFixture<TaskHeaders>('celery-5.2/retry-headers.json');
    const id = '1bff06b6-8790-4140-9e16-aa99d17211ec';
    const built = buildTaskMessage({
      name: 'tasks.flaky',
      id,
      args: [],
      kwargs: {},
      origin: 'gen8165@vm',
      retries: 1,
      eta: '2026-11-22T02:40:23.074039+00:00',
      rootId: id,
      parentId: id,
    });

    it('writes the captured headers (no arguments: argsrepr "()", as Celery writes it)', () => {
      expect(built.headers.argsrepr).toBe('()');
      expectSameHeaders(built.headers, captured);
    });
  });

  describe('chain(add.s(1, 2), add.s(3), add.s(4)): the first message', () => {
    const capturedBody = readFixture<[unknown[], object, TaskEmbed]>(
      'celery-5.2/chain-first-body.json',
    );

    it('carries embed.chain as given: reversed, the next task last (compared as parsed JSON)', () => {
      const built = buildTaskMessage({
        name: 'tasks.add',
        id: '5439fba2-7c1d-4e8a-a6f3-0b9d2c4e5f71',
        args: [1, 2],
        kwargs: {},
        origin: 'gen1@vm',
        embed: capturedBody[2],
      });
      expectSameBody(built.body, JSON.stringify(capturedBody));
      const [, , embed] = parseJson(built.body) as [
        unknown,
        unknown,
        TaskEmbed,
      ];
      expect((embed.chain as { args: number[] }[]).at(-1)?.args).toEqual([3]);
    });
  });

  describe('chord([add.s(i, i) for i in range(3)], tsum.s()): header task #0', () => {
    const captured = readFixture<{
      headers: Record<string, unknown>;
      body: [unknown[], object, TaskEmbed];
    }>('celery-5.2/chord-header-task.json');
    const built = buildTaskMessage({
      name: 'tasks.add',
      id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      args: [0, 0],
      kwargs: {},
      origin: 'gen1@vm',
      group: 'c85f07e3-52e9-4622-9cbd-a2432966f6ba',
      groupIndex: 0,
      rootId: '50e636ff-db1e-4305-90ff-73b73b648063',
      embed: captured.body[2],
    });

    it('writes the captured group, group_index and root_id headers', () => {
      expect(built.headers).toMatchObject(captured.headers);
    });

    it('writes the captured body with embed.chord (compared as parsed JSON)', () => {
      expectSameBody(built.body, JSON.stringify(captured.body));
    });
  });
});

describe('buildTaskMessage with Celery >= 5.3 headers', () => {
  const envelope = readFixture<RedisEnvelope>(
    'celery-5.3/redis-tagged-json-message.json',
  );
  const captured = messageFromRedisEnvelope(envelope);

  it("puts extra headers after Celery's, in their order, as 5.3.5+ writes them", () => {
    const built = buildTaskMessage({
      name: 'tasks.record',
      id: '3b9e1f4a-5c2d-4e7b-a1f8-9d6c0e2b4a57',
      args: [],
      kwargs: {},
      origin: 'gen7012@vm',
      headers: { replaced_task_nesting: 0, stamped_headers: null, stamps: {} },
    });
    expect(Object.keys(built.headers)).toEqual(Object.keys(captured.headers));
    expect(built.headers).toMatchObject({
      replaced_task_nesting: 0,
      stamped_headers: null,
      stamps: {},
    });
  });
});

describe('buildTaskMessage details', () => {
  const base: TaskMessageInput = {
    name: 'videos.transcode',
    id: 'c9a4f0de-0f37-4b8e-9d2e-5b0f3f1f7a10',
    args: ['v1'],
    kwargs: {},
    origin: 'gen1@host',
  };

  it('defaults: no reply_to, priority 0, delivery_mode 2, JSON in UTF-8, empty embed', () => {
    const message: TaskMessage = buildTaskMessage(base);
    expect(message.properties).toEqual({
      correlation_id: base.id,
      content_type: 'application/json',
      content_encoding: 'utf-8',
      delivery_mode: 2,
      priority: 0,
    });
    expect(parseJson(message.body)).toEqual([['v1'], {}, EMPTY_EMBED]);
    expect(message.headers.root_id).toBe(base.id);
  });

  it('defaults root_id to the id also when rootId is empty, as Celery does', () => {
    expect(buildTaskMessage({ ...base, rootId: '' }).headers.root_id).toBe(
      base.id,
    );
  });

  it('writes timelimit as [hard, soft] and the shadow name', () => {
    const { headers } = buildTaskMessage({
      ...base,
      timeLimit: [60, 50],
      shadow: 'transcode:v1',
    });
    expect(headers.timelimit).toEqual([60, 50]);
    expect(headers.shadow).toBe('transcode:v1');
  });

  it('writes ignore_result; embed null still writes the four-key embed, as Celery always does', () => {
    const message = buildTaskMessage({
      ...base,
      ignoreResult: true,
      embed: null,
    });
    expect(message.headers.ignore_result).toBe(true);
    expect(parseJson(message.body)).toEqual([['v1'], {}, EMPTY_EMBED]);
  });

  it('sets expiration "0" when expires is already past, as Celery does', () => {
    const now = new Date('2026-11-22T02:00:00Z');
    const message = buildTaskMessage({
      ...base,
      expires: new Date('2026-11-22T01:00:00Z'),
      now,
    });
    expect(message.properties.expiration).toBe('0');
  });

  it('computes expiration from an ISO string expires too', () => {
    const message = buildTaskMessage({
      ...base,
      expires: '2026-11-22T02:00:30.500000+00:00',
      now: new Date('2026-11-22T02:00:00Z'),
    });
    expect(message.properties.expiration).toBe('30500');
  });

  it("rewrites ISO strings that are not Python's aware isoformat in Celery's shape", () => {
    const { headers } = buildTaskMessage({
      ...base,
      eta: '2026-11-22T02:39:19.8Z',
      expires: '2026-11-22T04:39:19',
    });
    expect(headers.eta).toBe('2026-11-22T02:39:19.800000+00:00');
    expect(headers.expires).toBe('2026-11-22T04:39:19.000000+00:00');
  });

  it('keeps a non-UTC offset as given (the same instant for Celery)', () => {
    const eta = '2026-11-22T03:39:19.867098+01:00';
    expect(buildTaskMessage({ ...base, eta }).headers.eta).toBe(eta);
  });

  it('refuses an eta or expires that is not a time', () => {
    expect(() => buildTaskMessage({ ...base, eta: 'tomorrow' })).toThrow(
      /eta "tomorrow" is not a valid time/,
    );
    expect(() =>
      buildTaskMessage({ ...base, expires: new Date('nope') }),
    ).toThrow(/expires .* is not a valid time/);
  });

  it('never lets an extra header replace a standard one', () => {
    const { headers } = buildTaskMessage({
      ...base,
      headers: { id: 'forged', task: 'other', custom: 1 },
    });
    expect(headers.id).toBe(base.id);
    expect(headers.task).toBe(base.name);
    expect(headers.custom).toBe(1);
  });

  it('keeps extra headers whose names exist on Object.prototype', () => {
    const { headers } = buildTaskMessage({
      ...base,
      headers: JSON.parse(
        '{"constructor": "c", "toString": "t", "__proto__": "p"}',
      ) as Record<string, unknown>,
    });
    expect(Object.keys(headers).slice(-3)).toEqual([
      'constructor',
      'toString',
      '__proto__',
    ]);
    expect(JSON.parse(JSON.stringify(headers))).toMatchObject({
      constructor: 'c',
      toString: 't',
    });
  });
});
