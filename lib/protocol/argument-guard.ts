import { isPlainObject } from '../common/object-kind';
import { ArgumentNotDataError, ResultNotDataError } from './errors';

/** One check: the objects being visited (to find cycles) and the error it throws. */
interface Walk {
  seen: Set<object>;
  Refusal: typeof ArgumentNotDataError | typeof ResultNotDataError;
}

/**
 * Checks that a value is plain JSON data and returns a copy ready to serialize:
 * Dates become ISO strings, `undefined` becomes null in a list and disappears from
 * an object (as with JSON.stringify), holes of sparse arrays become null.
 *
 * Refused, with the path of the offending value: class instances (entities, Maps,
 * Buffers...), functions, symbols (as values or keys), BigInt, non-finite numbers
 * and cycles. The same object may appear twice when it does not contain itself.
 */
export function toPlainData(value: unknown, path: string): unknown {
  return visit(value, path, { seen: new Set(), Refusal: ArgumentNotDataError });
}

/**
 * `toPlainData` for what a task gives back (its result, its progress meta): refused
 * with ResultNotDataError, which says the result is at fault.
 */
export function toPlainResult(value: unknown, path: string): unknown {
  return visit(value, path, { seen: new Set(), Refusal: ResultNotDataError });
}

/** `toPlainData` for a task's positional and keyword arguments. */
export function guardArguments(
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
): { args: unknown[]; kwargs: Record<string, unknown> } {
  const walk: Walk = { seen: new Set(), Refusal: ArgumentNotDataError };
  return {
    args: visit(args, 'args', walk) as unknown[],
    kwargs: visitRecord(kwargs, 'kwargs', walk),
  };
}

/**
 * `guardArguments` for a caller that serializes the arguments at once (the client
 * building a message): plain JSON, which nearly every call sends, is checked without
 * copying or building paths and returned as it is; anything else (Dates, undefined,
 * what is refused) goes through `guardArguments`.
 */
export function guardArgumentsForSend(
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
): { args: unknown[]; kwargs: Record<string, unknown> } {
  if (
    Array.isArray(args) &&
    isJsonAsIs(args, 0) &&
    isPlainObject(kwargs) &&
    isJsonAsIs(kwargs, 0)
  ) {
    return { args: args as unknown[], kwargs };
  }
  return guardArguments(args, kwargs);
}

function visit(value: unknown, path: string, walk: Walk): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'undefined':
      return null;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new walk.Refusal(
          path,
          `is ${value}, which JSON cannot carry`,
          'Send a number, null or a string instead.',
        );
      }
      return value;
    case 'bigint':
      throw new walk.Refusal(
        path,
        'is a BigInt, which JSON cannot carry',
        'Send it as a string (`value.toString()`).',
      );
    case 'symbol':
      throw new walk.Refusal(path, 'is a symbol', 'Send a string instead.');
    case 'function':
      throw new walk.Refusal(
        path,
        'is a function',
        'The task runs in another process: send data, not code.',
      );
  }
  if (value === null) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new walk.Refusal(
        path,
        'is an invalid Date',
        'Send a valid Date or an ISO-8601 string.',
      );
    }
    return value.toISOString();
  }
  if (Array.isArray(value)) {
    return within(value, path, walk, () =>
      // Array.from visits holes (as undefined), map would keep them as holes.
      Array.from(value as unknown[], (item, index) =>
        visit(item, `${path}[${index}]`, walk),
      ),
    );
  }
  return visitRecord(value as object, path, walk);
}

function visitRecord(
  object: object,
  path: string,
  walk: Walk,
): Record<string, unknown> {
  if (!isPlainObject(object)) {
    const className = (object.constructor as { name?: string } | undefined)
      ?.name;
    throw new walk.Refusal(
      path,
      `is an instance of ${className ? `class ${className}` : 'a class'}, not plain data`,
      idAdvice(className),
    );
  }
  return within(object, path, walk, () => {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      const item = object[key];
      if (item === undefined) continue; // as JSON.stringify does
      // Defined, not assigned: `copy['__proto__'] = x` would set the prototype.
      Object.defineProperty(copy, key, {
        value: visit(item, `${path}${propertyPath(key)}`, walk),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    for (const symbol of Object.getOwnPropertySymbols(object)) {
      throw new walk.Refusal(
        `${path}[${String(symbol)}]`,
        'is keyed by a symbol',
        'Use string keys.',
      );
    }
    return copy;
  });
}

/** Deeper than this, the copying path decides (it also finds cycles). */
const AS_IS_MAX_DEPTH = 32;

/**
 * True when `value` would come out of `visit` unchanged: strings, booleans, finite
 * numbers, null, dense arrays and plain objects of those, no undefined, no symbol keys.
 */
function isJsonAsIs(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= AS_IS_MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined || !isJsonAsIs(item, depth + 1)) return false;
    }
    return true;
  }
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    const item = value[key];
    if (item === undefined || !isJsonAsIs(item, depth + 1)) return false;
  }
  return Object.getOwnPropertySymbols(value).length === 0;
}

/** Runs `copy` with `object` marked as being visited, to detect cycles. */
function within<T>(object: object, path: string, walk: Walk, copy: () => T): T {
  if (walk.seen.has(object)) {
    throw new walk.Refusal(
      path,
      'refers back to an object that contains it (a cycle)',
    );
  }
  walk.seen.add(object);
  try {
    return copy();
  } finally {
    walk.seen.delete(object);
  }
}

/**
 * The advice for a class instance where data is expected: pass the record's id. The
 * client's argument guard gives it, and so does the bootstrap for a task parameter
 * declared as a class.
 */
export function idAdvice(className: string | undefined): string {
  const variable = className
    ? className[0].toLowerCase() + className.slice(1)
    : 'record';
  return (
    `Pass the record's id instead (for instance \`${variable}.id\`) ` +
    'and let the task load it fresh.'
  );
}

function propertyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key)
    ? `.${key}`
    : `[${JSON.stringify(key)}]`;
}
