import { ExceptionInfo } from './result-meta';

/**
 * A Python object a pickle rebuilds by calling a class (`REDUCE`, `NEWOBJ`), kept as
 * data: which class, the arguments, and the state `BUILD` set on it. Exceptions come
 * this way when Celery's `result_serializer` is `pickle`.
 */
export class PythonObject {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly args: unknown[],
    public state: unknown = null,
  ) {}
}

/** A class a pickle names (`GLOBAL`, `STACK_GLOBAL`) before calling it. */
export class PythonGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
}

/**
 * A pickled exception as Celery's JSON form: `{exc_type, exc_message, exc_module}`.
 * Celery's `UnpickleableExceptionWrapper` (an exception its pickler could not take)
 * carries the original class and args, which are used instead.
 */
export function exceptionInfoOf(object: PythonObject): ExceptionInfo {
  if (
    object.module === 'celery.utils.serialization' &&
    object.name === 'UnpickleableExceptionWrapper'
  ) {
    const [excModule, excType, excArgs] = object.args;
    return {
      exc_type: String(excType),
      exc_module: String(excModule),
      exc_message: Array.isArray(excArgs) ? excArgs : [excArgs],
    };
  }
  return {
    exc_type: object.name,
    exc_module: object.module,
    exc_message: object.args,
  };
}
