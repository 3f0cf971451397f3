import { parseCeleryIso } from '../protocol';
import { taskArgumentsError } from './errors';
import {
  TaskParameter,
  TaskSignature,
  describeSignature,
} from './task-signature';

/**
 * The arguments a task method is called with, from a message's `args` and `kwargs`,
 * as Python binds a call: positional arguments fill the parameters in order (a rest
 * parameter takes what is left), each keyword argument fills the parameter of its
 * name, the `@Kwargs()` parameter gets the keyword arguments left over (`{}` when
 * none), a parameter left out gets its default, and a `Date` parameter given an
 * ISO-8601 string gets a Date.
 *
 * Throws a TypeError worded as Python's (`math.add() missing 1 required positional
 * argument: 'b'`) when they do not fit: a required parameter missing, too many
 * positional arguments, an unknown keyword, one parameter given twice.
 */
export function bindArguments(
  signature: TaskSignature,
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
): unknown[] {
  const noKwargs = isEmpty(kwargs);
  checkPositionalCount(signature, args.length);
  // The common call: positional arguments only, all there, nothing to convert.
  if (noKwargs && signature.plain && args.length >= signature.minPositional)
    return args as unknown[];
  const parameters = signature.parameters;
  if (parameters === null) {
    throw taskArgumentsError(
      `${signature.task}() got keyword arguments, but the names of its parameters ` +
        `cannot be read (name them with @Arg)`,
      describeSignature(signature),
    );
  }
  return bind(signature, parameters, args, kwargs);
}

function bind(
  signature: TaskSignature,
  parameters: TaskParameter[],
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
): unknown[] {
  const values: unknown[] = [];
  const given: boolean[] = [];
  let next = 0;
  parameters.forEach((parameter, index) => {
    if (parameter.kwargs) return;
    if (parameter.rest) {
      values[index] = args.slice(next);
      given[index] = true;
      next = args.length;
    } else if (next < args.length) {
      values[index] = args[next++];
      given[index] = true;
    }
  });
  const kwargsIndex = parameters.findIndex((parameter) => parameter.kwargs);
  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(kwargs)) {
    const index = parameters.findIndex(
      (parameter) =>
        parameter.name === key && !parameter.rest && !parameter.kwargs,
    );
    if (index >= 0) {
      if (given[index]) {
        throw taskArgumentsError(
          `${signature.task}() got multiple values for argument '${key}'`,
          describeSignature(signature),
        );
      }
      values[index] = kwargs[key];
      given[index] = true;
    } else if (kwargsIndex >= 0) {
      Object.defineProperty(extra, key, {
        value: kwargs[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      throw taskArgumentsError(
        `${signature.task}() got an unexpected keyword argument '${key}'` +
          ' (to take keyword arguments as one object, mark a parameter with @Kwargs())',
        describeSignature(signature),
      );
    }
  }
  const missing = parameters
    .map((parameter, index) => ({ parameter, index }))
    .filter(
      ({ parameter, index }) =>
        !given[index] &&
        !parameter.optional &&
        !parameter.rest &&
        !parameter.kwargs,
    )
    .map(
      ({ parameter, index }) =>
        `'${parameter.name ?? `parameter ${index + 1}`}'`,
    );
  if (missing.length > 0) {
    throw taskArgumentsError(
      `${signature.task}() missing ${missing.length} required positional ` +
        `argument${missing.length === 1 ? '' : 's'}: ${pythonList(missing)}`,
      describeSignature(signature),
    );
  }
  if (kwargsIndex >= 0) {
    values[kwargsIndex] = extra;
    given[kwargsIndex] = true;
  }
  const call: unknown[] = [];
  parameters.forEach((parameter, index) => {
    const value = values[index];
    if (parameter.rest) call.push(...(value as unknown[]));
    else
      call[index] = parameter.date
        ? revived(signature, parameter, index, value)
        : value;
  });
  if (signature.maxPositional === Infinity) return call;
  // Trailing parameters nobody gave are left out: `arguments.length` is what was given.
  let length = call.length;
  while (length > 0 && !given[length - 1]) length--;
  call.length = length;
  return call;
}

function checkPositionalCount(signature: TaskSignature, count: number): void {
  if (count > signature.maxPositional) {
    const { minPositional: min, maxPositional: max } = signature;
    const takes =
      min === max
        ? `${max} positional argument${max === 1 ? '' : 's'}`
        : `from ${min} to ${max} positional arguments`;
    throw taskArgumentsError(
      `${signature.task}() takes ${takes} but ${count} ${count === 1 ? 'was' : 'were'} given`,
      describeSignature(signature),
    );
  }
}

function isEmpty(record: Record<string, unknown>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return false;
  return true;
}

/** Python's list in a message: `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`. */
function pythonList(names: string[]): string {
  if (names.length <= 1) return names.join('');
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  return `${names.slice(0, -1).join(', ')}, and ${names[names.length - 1]}`;
}

function revived(
  signature: TaskSignature,
  parameter: TaskParameter,
  index: number,
  value: unknown,
): unknown {
  if (value === undefined || value === null || value instanceof Date)
    return value;
  const date = typeof value === 'string' ? parseCeleryIso(value) : null;
  if (!date) {
    throw taskArgumentsError(
      `${signature.task}() argument '${parameter.name ?? `parameter ${index + 1}`}' ` +
        `is declared Date, but ${JSON.stringify(value)} is not an ISO-8601 time`,
      describeSignature(signature),
    );
  }
  return date;
}
