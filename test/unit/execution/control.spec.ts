import { MemoryResultBackend } from '../../../lib/results/memory/memory-result-backend';
import {
  ControlMessage,
  readRevoke,
  revokeMessage,
} from '../../../lib/transports/control-bus';
import { MemoryBroker, MemoryTransport } from '../../../lib/transports/memory';
import { RevokedTasks } from '../../../lib/worker/revoked-tasks';
import { uniqueName, waitUntil } from '../../support/wait';

describe('control messages', () => {
  it('writes the revoke command as Celery’s app.control.revoke does', () => {
    expect(revokeMessage(['a'], false)).toEqual({
      method: 'revoke',
      arguments: { task_id: 'a', terminate: false, signal: 'SIGTERM' },
      destination: null,
      pattern: null,
      matcher: null,
    });
    expect(revokeMessage(['a', 'b'], true, 'SIGKILL').arguments).toEqual({
      task_id: ['a', 'b'],
      terminate: true,
      signal: 'SIGKILL',
    });
  });

  it('reads Celery’s revoke (one id or a list, with reply fields) and ignores other commands', () => {
    const fromPython: ControlMessage = {
      method: 'revoke',
      arguments: { task_id: ['x', 'y'], terminate: true, signal: 'SIGTERM' },
      destination: null,
      pattern: null,
      matcher: null,
      ticket: 'f6a4ea9c',
      reply_to: { exchange: 'reply.celery.pidbox', routing_key: 'oid' },
    };
    expect(readRevoke(fromPython)).toEqual({
      taskIds: ['x', 'y'],
      terminate: true,
    });
    expect(readRevoke({ ...fromPython, arguments: { task_id: 'z' } })).toEqual({
      taskIds: ['z'],
      terminate: false,
    });
    expect(
      readRevoke({ ...fromPython, method: 'ping', arguments: {} }),
    ).toBeNull();
    expect(
      readRevoke({ ...fromPython, arguments: { task_id: 42 } }),
    ).toBeNull();
  });

  it('reaches every memory transport of a broker, as JSON, until unsubscribed', async () => {
    const broker = MemoryBroker.named(uniqueName('control'));
    const [a, b] = [new MemoryTransport(broker), new MemoryTransport(broker)];
    const heard: string[] = [];
    const subscription = await b.subscribeControl((message) =>
      heard.push(JSON.stringify(message.arguments)),
    );
    await a.broadcastControl(revokeMessage(['t1'], false));
    await waitUntil(() => heard.length === 1, 1000, 'the broadcast');
    await subscription.close();
    await a.broadcastControl(revokeMessage(['t2'], false));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).toEqual([
      '{"task_id":"t1","terminate":false,"signal":"SIGTERM"}',
    ]);
    await Promise.all([a.close(), b.close()]);
    await expect(
      a.broadcastControl(revokeMessage(['t3'], false)),
    ).rejects.toThrow(/closed/);
  });
});

describe('revocations', () => {
  it('are kept in the memory backend until they expire, the later expiry winning', async () => {
    const backend = new MemoryResultBackend(uniqueName('revoked'));
    await backend.addRevoked(['a', 'b'], 60);
    await backend.addRevoked(['b'], 0.05);
    await backend.addRevoked(['c'], 0.05);
    expect((await backend.listRevoked()).map((r) => r.taskId).sort()).toEqual([
      'a',
      'b',
      'c',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await backend.listRevoked()).map((r) => r.taskId).sort()).toEqual([
      'a',
      'b',
    ]);
  });

  it('are looked up by a worker until they expire, the oldest forgotten past the cap', () => {
    const revoked = new RevokedTasks(2);
    const later = Date.now() + 60_000;
    revoked.add('a', later);
    revoked.add('b', Date.now() - 1);
    expect(revoked.has('a')).toBe(true);
    expect(revoked.has('b')).toBe(false);
    revoked.add('c', later);
    revoked.add('d', later);
    expect([revoked.has('a'), revoked.has('c'), revoked.has('d')]).toEqual([
      false,
      true,
      true,
    ]);
  });
});

describe('memory dead letters', () => {
  it('are listed oldest first, decoded, and replayed onto their queue', async () => {
    const broker = MemoryBroker.named(uniqueName('dead'));
    const transport = new MemoryTransport(broker);
    broker.deadLetter(
      'q',
      '{"headers":{"id":"1"},"properties":{},"body":"[]"}',
      'first',
    );
    broker.deadLetter('other', '{}', 'elsewhere');
    broker.deadLetter('q', 'not json', 'second');
    const letters = await transport.listDeadLetters('q');
    expect(letters.map((letter) => letter.reason)).toEqual(['first', 'second']);
    expect(letters[0].message?.headers.id).toBe('1');
    expect(letters[1].decodeError).toBeInstanceOf(SyntaxError);
    expect(await transport.replayDeadLetters('q', 1)).toBe(1);
    expect(broker.size('q')).toBe(1);
    expect(
      (await transport.listDeadLetters('q')).map((letter) => letter.reason),
    ).toEqual(['second']);
    expect(await transport.replayDeadLetters('q')).toBe(1);
    expect(broker.deadLetters('other')).toHaveLength(1);
    await transport.close();
  });
});
