import { ExceptionInfo } from './result-meta';
import { pythonRepr } from './python-repr';

/**
 * The error a chord's body is failed with when a header part failed, as Celery's
 * Redis backend writes it: `ChordError('Dependency <id> raised ValueError('boom')')`.
 */
export function chordErrorInfo(
  partId: string,
  cause: ExceptionInfo,
): ExceptionInfo {
  return {
    exc_type: 'ChordError',
    exc_message: [`Dependency ${partId} raised ${exceptionRepr(cause)}`],
    exc_module: 'celery.exceptions',
  };
}

/** Python's `repr()` of an exception: `ValueError('boom')`. */
export function exceptionRepr(info: ExceptionInfo): string {
  const args = Array.isArray(info.exc_message)
    ? info.exc_message
    : [info.exc_message];
  return `${info.exc_type}(${args.map((arg) => pythonRepr(arg)).join(', ')})`;
}
