import {
  buildTaskMessage,
  parseCeleryIso,
  parseTaskMessage,
  toCeleryIso,
} from '../../../lib/protocol';
import { retryMessage } from '../../../lib/worker/retry-message';
import { readFixture } from '../../support/celery-fixtures';

describe('the retry message', () => {
  it('has the headers Celery’s own retry publishes (captured)', () => {
    const captured = readFixture<Record<string, unknown>>(
      'celery-5.2/retry-headers.json',
    );
    const original = buildTaskMessage({
      name: 'tasks.flaky',
      id: captured.id as string,
      args: [],
      kwargs: {},
      origin: 'gen1234@client',
    });
    const eta = parseCeleryIso(captured.eta as string)!;
    const retry = retryMessage(
      parseTaskMessage(original),
      eta,
      captured.origin as string,
    );
    expect(Object.keys(retry.headers)).toEqual(Object.keys(captured));
    expect(retry.headers).toEqual({
      ...captured,
      eta: '2026-11-22T02:40:23.074000+00:00',
    });
  });

  it('keeps the call’s options: expires, time limits, priority, reply_to, custom headers, body', () => {
    const original = buildTaskMessage({
      name: 'videos.transcode',
      id: 'task-1',
      args: [42, { size: 'hd' }],
      kwargs: { fast: true },
      origin: 'gen1@web',
      expires: '2026-11-22T03:00:00.123456+00:00',
      timeLimit: [60, 30],
      priority: 3,
      replyTo: 'client-oid',
      retries: 2,
      rootId: 'root-1',
      parentId: 'parent-1',
      headers: { celeriac_retry: { max_retries: 5 }, stamps: { a: 1 } },
    });
    const eta = new Date('2026-11-22T02:50:00.000Z');
    const retry = retryMessage(parseTaskMessage(original), eta, 'gen2@worker');
    expect(retry.headers).toMatchObject({
      id: 'task-1',
      retries: 3,
      eta: '2026-11-22T02:50:00.000000+00:00',
      expires: '2026-11-22T03:00:00.123456+00:00',
      timelimit: [60, 30],
      root_id: 'root-1',
      parent_id: 'task-1',
      origin: 'gen2@worker',
      celeriac_retry: { max_retries: 5 },
      stamps: { a: 1 },
    });
    expect(retry.properties).toMatchObject({
      correlation_id: 'task-1',
      reply_to: 'client-oid',
      priority: 3,
    });
    expect(JSON.parse(retry.body)).toEqual(JSON.parse(original.body));
  });

  it('sets the AMQP expiration to the ms left until the kept expires', () => {
    const expires = new Date(Date.now() + 3_600_000);
    const original = buildTaskMessage({
      name: 'videos.transcode',
      id: 'task-2',
      args: [],
      kwargs: {},
      origin: 'gen1@web',
      expires: toCeleryIso(expires),
    });
    const before = Date.now();
    const retry = retryMessage(
      parseTaskMessage(original),
      new Date(before + 60_000),
      'gen2@worker',
    );
    const after = Date.now();
    // kombu: str(int(seconds left * 1000)), from when the retry is built.
    const expiration = Number(retry.properties.expiration);
    expect(expiration).toBeLessThanOrEqual(expires.getTime() - before);
    expect(expiration).toBeGreaterThanOrEqual(expires.getTime() - after - 1);
  });
});
