import { ExceptionInfo, isExceptionInfo } from './result-meta';

/**
 * Python builtin exception names that Python can rebuild from one message argument:
 * a JS error of that name is stored as the builtin, so `except TypeError` works on
 * the Python side. (SystemExit, KeyboardInterrupt and the like are left out on
 * purpose: a Python client would re-raise them from `.get()`.)
 */
const PYTHON_BUILTINS = new Set([
  'Exception',
  'ArithmeticError',
  'AssertionError',
  'AttributeError',
  'BlockingIOError',
  'BrokenPipeError',
  'ConnectionAbortedError',
  'ConnectionError',
  'ConnectionRefusedError',
  'ConnectionResetError',
  'EOFError',
  'FileExistsError',
  'FileNotFoundError',
  'ImportError',
  'IndexError',
  'InterruptedError',
  'IsADirectoryError',
  'KeyError',
  'LookupError',
  'MemoryError',
  'ModuleNotFoundError',
  'NameError',
  'NotADirectoryError',
  'NotImplementedError',
  'OSError',
  'OverflowError',
  'PermissionError',
  'RecursionError',
  'ReferenceError',
  'RuntimeError',
  'SyntaxError',
  'TimeoutError',
  'TypeError',
  'UnicodeError',
  'ValueError',
  'ZeroDivisionError',
]);

/** JS's own error classes: their `name` is inherited by subclasses that set none. */
export const JS_BUILTIN_ERROR_NAMES: ReadonlySet<string> = new Set([
  'Error',
  'AggregateError',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
]);

/** Module under which JS-only error types are stored; Python rebuilds them by name. */
export const JS_ERROR_MODULE = 'celeriac';

/**
 * Converts anything thrown by a task into Celery's exception info. The type is the
 * error's `name`, or its class name when the class did not set one
 * (`class PaymentDeclined extends Error {}` is `PaymentDeclined`, not `Error`).
 * An `excModule` property on the error chooses the module explicitly.
 */
export function errorToExceptionInfo(error: unknown): ExceptionInfo {
  if (isError(error)) {
    const type = errorType(error);
    const explicitModule = (error as { excModule?: unknown }).excModule;
    return {
      exc_type: type,
      exc_message: [typeof error.message === 'string' ? error.message : ''],
      exc_module:
        typeof explicitModule === 'string'
          ? explicitModule
          : PYTHON_BUILTINS.has(type)
            ? 'builtins'
            : JS_ERROR_MODULE,
    };
  }
  return {
    exc_type: 'Error',
    exc_message: [thrownText(error)],
    exc_module: JS_ERROR_MODULE,
  };
}

/** The text of an exception's message, from Celery's list of arguments. */
export function exceptionMessage(info: ExceptionInfo): string {
  const parts = Array.isArray(info.exc_message)
    ? info.exc_message
    : [info.exc_message];
  if (parts.length === 1 && typeof parts[0] === 'string') return parts[0];
  return parts
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
    .join(', ');
}

/**
 * Reads exception info from a stored result, whatever Celery version wrote it:
 * `exc_message` always comes back as a list (old Celery stored a bare string) and
 * `exc_module` as a string ('' when the writer gave none).
 */
export function readExceptionInfo(result: unknown): ExceptionInfo {
  if (isExceptionInfo(result)) {
    const { exc_message: message, exc_module: module } = result as {
      exc_message?: unknown;
      exc_module?: unknown;
    };
    return {
      ...result,
      exc_message: Array.isArray(message)
        ? (message as unknown[])
        : message === undefined || message === null
          ? []
          : [message],
      exc_module: typeof module === 'string' ? module : '',
    };
  }
  return {
    exc_type: 'Exception',
    exc_message: [JSON.stringify(result) ?? String(result)],
    exc_module: 'builtins',
  };
}

function isError(value: unknown): value is Error {
  return (
    value instanceof Error ||
    Object.prototype.toString.call(value) === '[object Error]'
  );
}

function errorType(error: Error): string {
  const name = typeof error.name === 'string' ? error.name : '';
  const className = (error.constructor as { name?: unknown } | undefined)?.name;
  if (
    typeof className === 'string' &&
    className !== '' &&
    className !== name &&
    (name === '' || JS_BUILTIN_ERROR_NAMES.has(name))
  ) {
    return className;
  }
  return name || 'Error';
}

function thrownText(thrown: unknown): string {
  if (typeof thrown === 'string') return thrown;
  if (thrown !== null && typeof thrown === 'object') {
    try {
      const json = JSON.stringify(thrown);
      if (json !== undefined) return json;
    } catch {
      // a cycle or a BigInt: fall back to String()
    }
  }
  return String(thrown);
}
