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

/**
 * A pickled Python value that is data, as text the way kombu's JSON writes it: a
 * `datetime`, `date` or `time` as its `isoformat()`, a `Decimal` as its digits. Undefined
 * for any other object.
 */
export function pythonValueAsText(object: PythonObject): string | undefined {
  if (object.module === 'decimal' && object.name === 'Decimal')
    return typeof object.args[0] === 'string' ? object.args[0] : undefined;
  if (object.module !== 'datetime') return undefined;
  const [packed, tz] = object.args;
  if (!(packed instanceof Uint8Array)) return undefined;
  const b = packed;
  const two = (n: number) => String(n).padStart(2, '0');
  const clock = (at: number) => {
    const micro = (b[at + 3] << 16) | (b[at + 4] << 8) | b[at + 5];
    const base = `${two(b[at])}:${two(b[at + 1])}:${two(b[at + 2])}`;
    return micro ? `${base}.${String(micro).padStart(6, '0')}` : base;
  };
  const day = () =>
    `${String((b[0] << 8) | b[1]).padStart(4, '0')}-${two(b[2])}-${two(b[3])}`;
  switch (object.name) {
    case 'date':
      return b.length === 4 ? day() : undefined;
    case 'datetime':
      return b.length === 10
        ? `${day()}T${clock(4)}${offsetOf(tz)}`
        : undefined;
    case 'time':
      return b.length === 6 ? `${clock(0)}${offsetOf(tz)}` : undefined;
    default:
      return undefined;
  }
}

/** `+HH:MM` of a pickled `datetime.timezone(timedelta(...))`, '' when naive. */
function offsetOf(tz: unknown): string {
  if (!(tz instanceof PythonObject) || tz.name !== 'timezone') return '';
  const delta = tz.args[0];
  if (!(delta instanceof PythonObject) || delta.name !== 'timedelta') return '';
  const [days = 0, seconds = 0] = delta.args as number[];
  const total = days * 86_400 + seconds;
  const sign = total < 0 ? '-' : '+';
  const minutes = Math.floor(Math.abs(total) / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${sign}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}
