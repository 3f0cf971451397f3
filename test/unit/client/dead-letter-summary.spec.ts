import { summarizeDeadLetter } from '../../../lib/client/dead-letter-summary';
import { buildTaskMessage } from '../../../lib/protocol/build-message';

describe('summarizeDeadLetter', () => {
  const message = buildTaskMessage({
    name: 'videos.encode',
    id: 'task-1',
    args: [7, 'hd'],
    kwargs: { force: true },
    origin: 'gen1@host',
  });

  it('tells the task, its arguments, why and when', () => {
    const at = new Date('2026-12-06T10:00:00Z');
    expect(
      summarizeDeadLetter({
        queue: 'q',
        reason: 'NotRegistered',
        at,
        message,
        raw: '',
      }),
    ).toEqual({
      id: 'task-1',
      task: 'videos.encode',
      reason: 'NotRegistered',
      at: '2026-12-06T10:00:00.000Z',
      args: [7, 'hd'],
      kwargs: { force: true },
      decodeError: null,
    });
  });

  it('leaves out what it cannot read: another serializer, an envelope that did not decode', () => {
    expect(
      summarizeDeadLetter({
        queue: 'q',
        reason: 'malformed',
        at: null,
        message: { ...message, body: '\x80\x04pickle' },
        raw: '',
      }),
    ).toMatchObject({ id: 'task-1', args: null, kwargs: null });
    expect(
      summarizeDeadLetter({
        queue: 'q',
        reason: 'malformed',
        at: null,
        decodeError: new Error('not JSON'),
        raw: '{',
      }),
    ).toEqual({
      id: null,
      task: null,
      reason: 'malformed',
      at: null,
      args: null,
      kwargs: null,
      decodeError: 'not JSON',
    });
  });
});
