import { runInNewContext } from 'node:vm';
import {
  ExceptionInfo,
  JS_ERROR_MODULE,
  ResultMeta,
  errorToExceptionInfo,
  exceptionMessage,
  readExceptionInfo,
} from '../../../lib/protocol';
import { readFixture } from '../../support/celery-fixtures';

class PaymentDeclined extends Error {}

class QuotaExceeded extends Error {
  override readonly name = 'QuotaExceeded';
}

class InvalidAmount extends RangeError {}

describe('errorToExceptionInfo', () => {
  it('stores a TypeError as the Python builtin', () => {
    expect(errorToExceptionInfo(new TypeError('bad amount'))).toEqual({
      exc_type: 'TypeError',
      exc_message: ['bad amount'],
      exc_module: 'builtins',
    });
  });

  it.each(['SyntaxError', 'ReferenceError', 'Error'])(
    'stores a JS %s under its own name, also from another realm (vm)',
    (name) => {
      const error = runInNewContext(`new ${name}('x')`) as Error;
      expect(errorToExceptionInfo(error).exc_type).toBe(name);
    },
  );

  it('stores an Error as type Error in module celeriac (Python has no builtin Error)', () => {
    expect(errorToExceptionInfo(new Error('boom'))).toEqual({
      exc_type: 'Error',
      exc_message: ['boom'],
      exc_module: 'celeriac',
    });
  });

  it('stores a custom error class under its class name, in module celeriac', () => {
    expect(errorToExceptionInfo(new PaymentDeclined('card 4242'))).toEqual({
      exc_type: 'PaymentDeclined',
      exc_message: ['card 4242'],
      exc_module: JS_ERROR_MODULE,
    });
    expect(JS_ERROR_MODULE).toBe('celeriac');
  });

  it('uses the name a custom class sets', () => {
    expect(errorToExceptionInfo(new QuotaExceeded('over')).exc_type).toBe(
      'QuotaExceeded',
    );
  });

  it('uses the class name of a subclass of a JS builtin error', () => {
    expect(errorToExceptionInfo(new InvalidAmount('-1'))).toMatchObject({
      exc_type: 'InvalidAmount',
      exc_module: 'celeriac',
    });
  });

  it('lets the error choose its module with excModule', () => {
    const error = Object.assign(new Error('tasks.nope'), {
      name: 'NotRegistered',
      excModule: 'celery.exceptions',
    });
    expect(errorToExceptionInfo(error)).toEqual({
      exc_type: 'NotRegistered',
      exc_message: ['tasks.nope'],
      exc_module: 'celery.exceptions',
    });
  });

  it('stores a thrown string as an Error with that message', () => {
    expect(errorToExceptionInfo('boom')).toEqual({
      exc_type: 'Error',
      exc_message: ['boom'],
      exc_module: 'celeriac',
    });
  });

  it('stores other thrown values as text', () => {
    expect(errorToExceptionInfo({ code: 42 }).exc_message).toEqual([
      '{"code":42}',
    ]);
    expect(errorToExceptionInfo(undefined).exc_message).toEqual(['undefined']);
    expect(errorToExceptionInfo(7).exc_message).toEqual(['7']);
  });

  it('produces JSON-serializable info that reads back the same', () => {
    const info = errorToExceptionInfo(new PaymentDeclined('card'));
    expect(readExceptionInfo(JSON.parse(JSON.stringify(info)))).toEqual(info);
  });
});

describe('readExceptionInfo / exceptionMessage on captured metas', () => {
  it('reads the captured FAILURE (ValueError: boom)', () => {
    const meta = readFixture<ResultMeta>('celery-5.2/result-meta-failure.json');
    const info = readExceptionInfo(meta.result);
    expect(info).toEqual({
      exc_type: 'ValueError',
      exc_message: ['boom'],
      exc_module: 'builtins',
    });
    expect(exceptionMessage(info)).toBe('boom');
  });

  it('reads the captured NotRegistered failure', () => {
    const meta = readFixture<ResultMeta>(
      'celery-5.2/result-meta-not-registered.json',
    );
    const info = readExceptionInfo(meta.result);
    expect(info).toEqual({
      exc_type: 'NotRegistered',
      exc_message: ['tasks.nope'],
      exc_module: 'celery.exceptions',
    });
    expect(exceptionMessage(info)).toBe('tasks.nope');
  });
});

describe('readExceptionInfo on other writers', () => {
  it('wraps a result that is not exception info as a builtins Exception', () => {
    expect(readExceptionInfo('gone')).toEqual({
      exc_type: 'Exception',
      exc_message: ['"gone"'],
      exc_module: 'builtins',
    });
    expect(readExceptionInfo(undefined).exc_message).toEqual(['undefined']);
  });

  it('turns a bare-string exc_message into a list and a missing module into ""', () => {
    expect(
      readExceptionInfo({ exc_type: 'KeyError', exc_message: 'x' }),
    ).toEqual({ exc_type: 'KeyError', exc_message: ['x'], exc_module: '' });
    expect(readExceptionInfo({ exc_type: 'Oops' }).exc_message).toEqual([]);
  });
});

describe('exceptionMessage', () => {
  const info = (exc_message: unknown[]): ExceptionInfo => ({
    exc_type: 'E',
    exc_message,
    exc_module: 'm',
  });

  it('joins several arguments', () => {
    expect(exceptionMessage(info(['a', 1, { b: 2 }]))).toBe('a, 1, {"b":2}');
  });

  it('is empty for no arguments', () => {
    expect(exceptionMessage(info([]))).toBe('');
  });
});
