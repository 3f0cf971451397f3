import {
  EMPTY_EMBED,
  MalformedMessageError,
  TaskEmbed,
  TaskHeaders,
  TaskMessage,
  TaskRequest,
  buildTaskMessage,
  parseTaskMessage,
} from '../../../lib/protocol';
import {
  AmqpCapture,
  RedisEnvelope,
  messageFromAmqp,
  messageFromRedisEnvelope,
  readFixture,
} from '../../support/celery-fixtures';

const redis = (path: string) =>
  messageFromRedisEnvelope(readFixture<RedisEnvelope>(path));
const amqp = (path: string) => messageFromAmqp(readFixture<AmqpCapture>(path));

/** Every field of a TaskRequest at its "not set" value. */
function request(
  message: TaskMessage,
  fields: Partial<TaskRequest> & Pick<TaskRequest, 'id' | 'name'>,
): TaskRequest {
  return {
    args: [],
    kwargs: {},
    embed: null,
    eta: null,
    expires: null,
    retries: 0,
    timeLimit: { hard: null, soft: null },
    rootId: fields.id,
    parentId: null,
    group: null,
    groupIndex: null,
    ignoreResult: false,
    replyTo: null,
    priority: 0,
    origin: null,
    message,
    ...fields,
  };
}

/** A v2 message around a captured body, with Celery 5.2's full headers. */
function v2(
  body: unknown,
  headers: Partial<TaskHeaders> = {},
  bodyText = JSON.stringify(body),
): TaskMessage {
  const message = buildTaskMessage({
    name: 'tasks.add',
    id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    args: [],
    kwargs: {},
    origin: 'gen1@vm',
  });
  return {
    ...message,
    headers: { ...message.headers, ...headers },
    body: bodyText,
  };
}

function reason(message: TaskMessage): string {
  try {
    parseTaskMessage(message);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedMessageError);
    expect((error as Error).name).toBe('MalformedMessageError');
    return (error as Error).message;
  }
  throw new Error('expected a MalformedMessageError, the message parsed');
}

describe('parseTaskMessage on Celery 5.2.6 captures', () => {
  it("reads send_task('tasks.add', args=[2, 3]) from Redis", () => {
    const message = redis('celery-5.2/redis-send-task-add.json');
    expect(parseTaskMessage(message)).toEqual(
      request(message, {
        id: 'a5e7a51a-0600-40ac-a93f-3e84ca69a206',
        name: 'tasks.add',
        args: [2, 3],
        embed: EMPTY_EMBED,
        replyTo: '85f5d540-71b9-338c-91e0-809ff8345d83',
        origin: 'gen6276@vm',
      }),
    );
  });

  it('reads the countdown/expires/priority 5 message, eta and expires to the millisecond', () => {
    const message = redis('celery-5.2/redis-countdown-expires-priority.json');
    expect(parseTaskMessage(message)).toEqual(
      request(message, {
        id: '619a6a4d-d592-491a-aa3f-fbae5de5d3a2',
        name: 'tasks.add',
        args: [2, 3],
        kwargs: { z: 1 },
        embed: EMPTY_EMBED,
        // .867098 is 867 ms
        eta: new Date('2026-11-22T02:39:19.867Z'),
        expires: new Date('2026-11-22T02:40:09.867Z'),
        replyTo: '85f5d540-71b9-338c-91e0-809ff8345d83',
        priority: 5,
        origin: 'gen6276@vm',
      }),
    );
  });

  it('reads the AMQP task message', () => {
    const message = amqp('celery-5.2/amqp-task-message.json');
    expect(parseTaskMessage(message)).toEqual(
      request(message, {
        id: '7aa400b8-3f5d-4c1e-9b2a-6d8e0f1c2a34',
        name: 'tasks.add',
        args: [2, 3],
        embed: EMPTY_EMBED,
        replyTo: '4d5441d0-9f2f-3a07-a2f5-2499ca0dd852',
        origin: 'gen9569@vm',
      }),
    );
  });

  it('reads the minimal Redis message: headers {lang, task, id}, raw body [[2, 3], {}, null]', () => {
    const message = redis('celery-5.2/redis-minimal-message.json');
    expect(parseTaskMessage(message)).toEqual(
      request(message, {
        id: '0e6c4a3b-2f7d-4a1e-8c59-b3d1f7a2e904',
        name: 'tasks.add',
        args: [2, 3],
      }),
    );
  });

  it('reads the minimal AMQP message', () => {
    const message = amqp('celery-5.2/amqp-minimal-message.json');
    expect(parseTaskMessage(message)).toEqual(
      request(message, {
        id: 'c3f8a1d2-6b4e-4f7a-9e2c-1a5d8b3f0e47',
        name: 'tasks.add',
        args: [20, 22],
        replyTo: '4d5441d0-9f2f-3a07-a2f5-2499ca0dd852',
      }),
    );
  });

  it('reads the retry re-publish: retries 1, parent_id = own id, eta', () => {
    const headers = readFixture<TaskHeaders>('celery-5.2/retry-headers.json');
    const message: TaskMessage = {
      headers,
      properties: {
        correlation_id: headers.id,
        content_type: 'application/json',
        content_encoding: 'utf-8',
        delivery_mode: 2,
        priority: 0,
      },
      body: '[[], {}, {"callbacks": null, "errbacks": null, "chain": null, "chord": null}]',
    };
    expect(parseTaskMessage(message)).toEqual(
      request(message, {
        id: '1bff06b6-8790-4140-9e16-aa99d17211ec',
        name: 'tasks.flaky',
        embed: EMPTY_EMBED,
        eta: new Date('2026-11-22T02:40:23.074Z'),
        retries: 1,
        parentId: '1bff06b6-8790-4140-9e16-aa99d17211ec',
        origin: 'gen8165@vm',
      }),
    );
  });

  it('reads the first chain message: embed.chain reversed, next task last', () => {
    const body = readFixture<[unknown[], object, TaskEmbed]>(
      'celery-5.2/chain-first-body.json',
    );
    const parsed = parseTaskMessage(v2(body));
    expect(parsed.args).toEqual([1, 2]);
    expect(parsed.embed).toEqual(body[2]);
    const chain = parsed.embed?.chain as { args: number[]; options: object }[];
    expect(chain.map((signature) => signature.args)).toEqual([[4], [3]]);
    expect(chain.at(-1)?.options).toEqual({
      task_id: 'd6644261-ba31-44c1-af14-45f705e81228',
      reply_to: '27ad36d1-fc6f-34fb-a82b-36d967039ac2',
    });
  });

  it('reads a chord header task: group, group_index, root_id and embed.chord', () => {
    const { headers, body } = readFixture<{
      headers: Partial<TaskHeaders>;
      body: [unknown[], object, TaskEmbed];
    }>('celery-5.2/chord-header-task.json');
    const parsed = parseTaskMessage(v2(body, headers));
    expect(parsed).toMatchObject({
      args: [0, 0],
      group: 'c85f07e3-52e9-4622-9cbd-a2432966f6ba',
      groupIndex: 0,
      rootId: '50e636ff-db1e-4305-90ff-73b73b648063',
    });
    expect(parsed.embed?.chord).toMatchObject({
      task: 'tasks.tsum',
      args: [],
      options: { task_id: '7c2e7740-05c2-4559-ab2f-d2157a5276e7' },
    });
  });

  it('reads the Python JSON spacing and our compact JSON alike', () => {
    const python = v2(null, {}, '[[2, 3], {"z": 1}, null]');
    const compact = v2(null, {}, '[[2,3],{"z":1},null]');
    expect(parseTaskMessage(python).kwargs).toEqual({ z: 1 });
    expect(parseTaskMessage(compact).args).toEqual([2, 3]);
  });
});

describe('parseTaskMessage on a Celery >= 5.3 message', () => {
  const message = redis('celery-5.3/redis-tagged-json-message.json');

  it('tolerates replaced_task_nesting, stamped_headers and stamps', () => {
    const parsed = parseTaskMessage(message);
    expect(parsed.id).toBe('3b9e1f4a-5c2d-4e7b-a1f8-9d6c0e2b4a57');
    expect(parsed.name).toBe('tasks.record');
    expect(parsed.message.headers.stamps).toEqual({});
  });

  it('reads kombu tagged JSON as strings: datetime, decimal, uuid, bytes, date, time, base64', () => {
    const parsed = parseTaskMessage(message);
    expect(parsed.args).toEqual([
      '2026-11-22T02:39:19.867098+00:00',
      '19.99',
      '6f1c2b7a-9d3e-4f5a-8b1c-2d3e4f5a6b7c',
      'hello',
    ]);
    expect(parsed.kwargs).toEqual({
      day: '2026-11-22',
      at: '02:39:19.867098',
      naive: '2026-11-22T02:39:19.867098',
      blob: '/wA=',
    });
  });
});

describe('parseTaskMessage on protocol v1', () => {
  // celery/app/amqp.py as_task_v1: no headers, everything in the body.
  const v1Body = {
    task: 'tasks.add',
    id: '5d3c2b1a-0f9e-4d8c-b7a6-5e4f3a2b1c0d',
    args: [2, 3],
    kwargs: { z: 1 },
    group: null,
    group_index: null,
    retries: 2,
    eta: '2026-11-22T02:39:19.867098+00:00',
    expires: null,
    utc: true,
    callbacks: null,
    errbacks: null,
    timelimit: [30, 20],
    taskset: null,
    chord: null,
  };

  it('reads a v1 body', () => {
    const message: TaskMessage = {
      headers: {} as TaskHeaders,
      properties: {
        correlation_id: v1Body.id,
        reply_to: 'c1d2e3f4-a5b6-3c7d-8e9f-0a1b2c3d4e5f',
        content_type: 'application/json',
        content_encoding: 'utf-8',
        delivery_mode: 2,
        priority: 0,
      },
      body: JSON.stringify(v1Body),
    };
    expect(parseTaskMessage(message)).toEqual(
      request(message, {
        id: v1Body.id,
        name: 'tasks.add',
        args: [2, 3],
        kwargs: { z: 1 },
        embed: { callbacks: null, errbacks: null, chain: null, chord: null },
        eta: new Date('2026-11-22T02:39:19.867Z'),
        retries: 2,
        timeLimit: { hard: 30, soft: 20 },
        replyTo: 'c1d2e3f4-a5b6-3c7d-8e9f-0a1b2c3d4e5f',
      }),
    );
  });

  it('refuses a v1 body without a task name', () => {
    const message = v2(null, {}, JSON.stringify({ ...v1Body, task: null }));
    delete (message.headers as Partial<TaskHeaders>).task;
    expect(reason(message)).toMatch(/task/);
  });
});

describe('parseTaskMessage times', () => {
  it('reads an eta without offset as UTC, whatever the local zone', () => {
    const parsed = parseTaskMessage(
      v2([[], {}, null], { eta: '2026-11-22T02:39:19.867098' }),
    );
    expect(parsed.eta).toEqual(new Date('2026-11-22T02:39:19.867Z'));
  });

  it('reads an eta with microseconds to the right millisecond (truncated)', () => {
    const parsed = parseTaskMessage(
      v2([[], {}, null], { eta: '2026-11-22T23:59:59.999999+00:00' }),
    );
    expect(parsed.eta?.toISOString()).toBe('2026-11-22T23:59:59.999Z');
  });

  it('converts an offset to UTC', () => {
    const parsed = parseTaskMessage(
      v2([[], {}, null], { expires: '2026-11-22T03:39:19.500000+01:00' }),
    );
    expect(parsed.expires?.toISOString()).toBe('2026-11-22T02:39:19.500Z');
  });

  it('reads an empty eta as no eta, as Celery maybe_iso8601 does', () => {
    expect(parseTaskMessage(v2([[], {}, null], { eta: '' })).eta).toBeNull();
  });
});

describe('parseTaskMessage refuses malformed messages with a reason naming the field', () => {
  it('a body that is not JSON', () => {
    expect(reason(v2(null, {}, '[[2, 3], {}'))).toMatch(/^body is not JSON/);
  });

  it('a content type other than JSON', () => {
    const message = v2([[], {}, null]);
    message.properties.content_type = 'application/x-python-serialize';
    expect(reason(message)).toMatch(
      /content type "application\/x-python-serialize"/,
    );
  });

  it('a body its transport could not decompress (undecodable)', () => {
    const message = v2([[], {}, null]);
    message.undecodable = {
      reason: 'compression "application/x-bz2" is not supported',
      excType: 'ContentDisallowed',
    };
    expect(reason(message)).toMatch(/compression "application\/x-bz2"/);
  });

  it.each<[string, unknown]>([
    ['an object', { args: [] }],
    ['a string', 'args'],
    ['a list of one', [[]]],
  ])('a v2 body that is %s, not a list', (_what, body) => {
    expect(reason(v2(body))).toMatch(/body/);
  });

  it('args that are not a list', () => {
    expect(reason(v2([{ a: 1 }, {}, null]))).toMatch(/args/);
  });

  it('kwargs that are not a mapping', () => {
    expect(reason(v2([[], [1, 2], null]))).toMatch(/kwargs/);
    expect(reason(v2([[], 'z=1', null]))).toMatch(/kwargs/);
  });

  it('an embed that is not a mapping', () => {
    expect(reason(v2([[], {}, [1]]))).toMatch(/embed/);
  });

  it('a missing or empty id', () => {
    const message = v2([[], {}, null]);
    delete (message.headers as Partial<TaskHeaders>).id;
    expect(reason(message)).toMatch(/\bid\b/);
    expect(reason(v2([[], {}, null], { id: '' }))).toMatch(/\bid\b/);
  });

  it.each(['tomorrow', '1', '2026-02-30T00:00:00', 1795315170])(
    'a bad eta: %j',
    (eta) => {
      const message = v2([[], {}, null], { eta: eta as string });
      expect(reason(message)).toMatch(/^eta /);
    },
  );

  it('a bad expires', () => {
    expect(reason(v2([[], {}, null], { expires: 'never' }))).toMatch(
      /^expires /,
    );
  });
});
