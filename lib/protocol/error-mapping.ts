import { ExceptionInfo, isExceptionInfo } from './result-meta';

/** Python builtin exception names: a JS error of that name is stored as the builtin. */
const PYTHON_BUILTINS = new Set([
  'Exception',
  'ArithmeticError',
  'AssertionError',
  'AttributeError',
  'IndexError',
  'KeyError',
  'LookupError',
  'NotImplementedError',
  'OSError',
  'OverflowError',
  'RuntimeError',
  'TimeoutError',
  'TypeError',
  'ValueError',
  'ZeroDivisionError',
  'ConnectionError',
  'PermissionError',
  'FileNotFoundError',
]);

/** Module under which JS-only error types are stored; Python rebuilds them by name. */
export const JS_ERROR_MODULE = 'celeriac';

/** Converts anything thrown by a task into Celery's exception info. */
export function errorToExceptionInfo(error: unknown): ExceptionInfo {
  if (error instanceof Error) {
    const type = error.name || error.constructor?.name || 'Error';
    const explicitModule = (error as { excModule?: unknown }).excModule;
    return {
      exc_type: type,
      exc_message: [error.message],
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
    exc_message: [String(error)],
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

/** Reads exception info from a stored result, whatever Celery version wrote it. */
export function readExceptionInfo(result: unknown): ExceptionInfo {
  if (isExceptionInfo(result)) return result;
  return {
    exc_type: 'Exception',
    exc_message: [JSON.stringify(result)],
    exc_module: 'builtins',
  };
}
