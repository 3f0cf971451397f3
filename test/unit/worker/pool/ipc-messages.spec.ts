import { TimeLimitExceeded } from '../../../../lib/worker/errors';
import { WorkerLostError } from '../../../../lib/worker/pool/errors';
import {
  errorFromData,
  errorToData,
  outcomeFromData,
  outcomeToData,
} from '../../../../lib/worker/pool/ipc-messages';
import { errorToExceptionInfo } from '../../../../lib/protocol';

/** An error rebuilt in the worker must be stored exactly as the child's own would be. */
describe('pool IPC messages', () => {
  class PaymentDeclined extends Error {}
  const cases: [string, unknown][] = [
    ['a TypeError', new TypeError('bad type')],
    ['a class without a name', new PaymentDeclined('no funds')],
    ['an error with its module', new TimeLimitExceeded(1)],
    ['a thrown string', 'plain text'],
  ];

  it.each(cases)('%s maps to the same exception info', (_label, error) => {
    const crossed = JSON.parse(
      JSON.stringify(errorToData(error)),
    ) as ReturnType<typeof errorToData>;
    expect(errorToExceptionInfo(errorFromData(crossed))).toEqual(
      errorToExceptionInfo(error),
    );
  });

  it('keeps the stack of an error', () => {
    const error = new RangeError('out');
    expect(errorFromData(errorToData(error)).stack).toBe(error.stack);
  });

  it('carries a retry eta as a time and back', () => {
    const eta = new Date(Date.now() + 5000);
    const back = outcomeFromData(
      JSON.parse(
        JSON.stringify(
          outcomeToData({ kind: 'retry', error: new Error('again'), eta }),
        ),
      ) as ReturnType<typeof outcomeToData>,
    );
    expect(back).toMatchObject({ kind: 'retry', eta });
  });

  it('turns an undefined success value into null', () => {
    expect(outcomeFromData({ kind: 'success', value: undefined })).toEqual({
      kind: 'success',
      value: null,
    });
  });

  it("writes WorkerLostError as Celery's prefork pool does", () => {
    expect(errorToExceptionInfo(new WorkerLostError(null, 'SIGKILL'))).toEqual({
      exc_type: 'WorkerLostError',
      exc_message: ['Worker exited prematurely: signal SIGKILL.'],
      exc_module: 'billiard.exceptions',
    });
  });
});
