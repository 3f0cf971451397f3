import {
  ControlMessage,
  readRevoke,
  revokeMessage,
} from '../../../lib/transports/control-bus';

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
});
