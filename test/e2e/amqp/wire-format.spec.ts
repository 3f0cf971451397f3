import type { GetMessage } from 'amqplib';
import {
  MalformedMessageError,
  buildTaskMessage,
  parseTaskMessage,
} from '../../../lib/protocol';
import { Delivery } from '../../../lib/transports/transport';
import { rawChannel, useSharedBroker } from '../../support/amqp-broker';
import { amqpFixtures } from '../../support/amqp-fixtures';
import { waitUntil } from '../../support/wait';

useSharedBroker();

/** A Celery 5.2.6 task message as `basic_get` read it from queue `celery` (docs/wire-format.md). */
const ID = '7aa400b8-5c3b-4d1e-9f0a-2a1b3c4d5e6f';
const REPLY_TO = '4d5441d0-9f2f-3a07-a2f5-2499ca0dd852';
const CAPTURED_HEADERS = {
  lang: 'py',
  task: 'tasks.add',
  id: ID,
  shadow: null,
  eta: null,
  expires: null,
  group: null,
  group_index: null,
  retries: 0,
  timelimit: [null, null],
  root_id: ID,
  parent_id: null,
  argsrepr: '[2, 3]',
  kwargsrepr: '{}',
  origin: 'gen9569@vm',
  ignore_result: false,
};
const CAPTURED_BODY =
  '[[2, 3], {}, {"callbacks": null, "errbacks": null, "chain": null, "chord": null}]';

async function basicGet(queue: string): Promise<GetMessage> {
  const { model, channel } = await rawChannel();
  try {
    let got: GetMessage | false = false;
    await waitUntil(
      async () => (got = await channel.get(queue, { noAck: true })) !== false,
      5000,
      'a message',
    );
    return got as unknown as GetMessage;
  } finally {
    await model.close();
  }
}

describe('AMQP wire format (against the Celery 5.2 capture)', () => {
  const fx = amqpFixtures();

  it('publishes exactly what Celery publishes, field by field', async () => {
    const queue = fx.queue('wire');
    const transport = await fx.open();
    await transport.publish(
      queue,
      buildTaskMessage({
        name: 'tasks.add',
        id: ID,
        args: [2, 3],
        kwargs: {},
        origin: 'gen9569@vm',
        replyTo: REPLY_TO,
      }),
    );
    const got = await basicGet(queue);
    expect(got.fields.exchange).toBe('');
    expect(got.fields.routingKey).toBe(queue);
    const p = got.properties;
    expect(p.contentType).toBe('application/json');
    expect(p.contentEncoding).toBe('utf-8');
    expect(p.deliveryMode).toBe(2);
    expect(p.priority).toBe(0);
    expect(p.correlationId).toBe(ID);
    expect(p.replyTo).toBe(REPLY_TO);
    expect(p.headers).toEqual(CAPTURED_HEADERS);
    for (const absent of [
      'expiration',
      'messageId',
      'timestamp',
      'type',
      'userId',
      'appId',
    ] as const) {
      expect(p[absent]).toBeUndefined();
    }
    expect(JSON.parse(got.content.toString('utf8'))).toEqual(
      JSON.parse(CAPTURED_BODY),
    );
  });

  it('sets expiration in ms from expires, as Celery does', async () => {
    const queue = fx.queue('wire-expires');
    const transport = await fx.open();
    const now = new Date();
    const expires = new Date(now.getTime() + 60_000);
    await transport.publish(
      queue,
      buildTaskMessage({
        name: 'tasks.add',
        id: ID,
        args: [],
        kwargs: {},
        origin: 'o',
        expires,
        now,
      }),
    );
    const got = await basicGet(queue);
    expect(got.properties.expiration).toBe('60000');
    expect(got.properties.headers?.expires).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/,
    );
  });

  it('delivers what Celery publishes (full and minimal messages) as task messages', async () => {
    const queue = fx.queue('from-celery');
    const transport = await fx.open();
    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 2,
    });
    const { model, channel } = await rawChannel();
    try {
      channel.sendToQueue(queue, Buffer.from(CAPTURED_BODY), {
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        headers: CAPTURED_HEADERS,
        deliveryMode: 2,
        priority: 0,
        correlationId: ID,
        replyTo: REPLY_TO,
      });
      channel.sendToQueue(queue, Buffer.from('[[20, 22], {}, null]'), {
        headers: { lang: 'py', task: 'tasks.add', id: 'minimal-1' },
        correlationId: 'minimal-1',
        replyTo: REPLY_TO,
      });
      await waitUntil(() => got.length === 2, 5000, 'both deliveries');
    } finally {
      await model.close();
    }
    const full = parseTaskMessage(got[0].message!);
    expect(got[0].message!.headers).toEqual(CAPTURED_HEADERS);
    expect(full).toMatchObject({
      id: ID,
      name: 'tasks.add',
      args: [2, 3],
      replyTo: REPLY_TO,
      origin: 'gen9569@vm',
    });
    expect(parseTaskMessage(got[1].message!)).toMatchObject({
      id: 'minimal-1',
      args: [20, 22],
      kwargs: {},
    });
    await Promise.all(got.map((delivery) => delivery.ack()));
  });

  it('hands over a body that is not UTF-8 marked binary, with its headers (so its caller can be told), kept intact for dead-lettering', async () => {
    const queue = fx.queue('binary');
    const transport = await fx.open();
    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 1,
    });
    const pickle = Buffer.from([0x80, 0x04, 0x95, 0xff, 0xfe, 0x00]);
    const { model, channel } = await rawChannel();
    try {
      channel.sendToQueue(queue, pickle, {
        contentType: 'application/x-python-serialize',
        contentEncoding: 'binary',
        headers: { lang: 'py', task: 'tasks.add', id: 'pickled' },
      });
      await waitUntil(() => got.length === 1, 5000, 'the delivery');
    } finally {
      await model.close();
    }
    const message = got[0].message!;
    expect(message.headers.id).toBe('pickled');
    expect(message.properties.content_encoding).toBe('binary');
    expect(Buffer.from(message.body, 'base64')).toEqual(pickle);
    let refused: unknown;
    try {
      parseTaskMessage(message);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(MalformedMessageError);
    expect(refused).toMatchObject({ excType: 'ContentDisallowed' });
    expect(String(refused)).toMatch(/application\/x-python-serialize/);
    await got[0].deadLetter('undecodable body');
    const [letter] = await transport.listDeadLetters(queue);
    expect(letter.content).toEqual(pickle);
    expect(letter.reason).toBe('undecodable body');
  });
});
