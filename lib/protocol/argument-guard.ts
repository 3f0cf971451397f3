import { ArgumentNotDataError } from './errors';

/**
 * Checks that a value is plain JSON data and returns it ready to serialize:
 * Dates become ISO strings, everything else is kept as it is.
 *
 * Refused, with the path of the offending value: class instances (entities, Maps,
 * Buffers...), functions, symbols, BigInt, non-finite numbers and cycles.
 */
export function toPlainData(value: unknown, path: string): unknown {
  return visit(value, path, new Set<object>());
}

/** `toPlainData` for a task's positional and keyword arguments. */
export function guardArguments(
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
): { args: unknown[]; kwargs: Record<string, unknown> } {
  const seen = new Set<object>();
  return {
    args: args.map((arg, index) => visit(arg, `args[${index}]`, seen)),
    kwargs: visitObject(kwargs, 'kwargs', seen),
  };
}

function visit(value: unknown, path: string, seen: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'undefined':
      return null;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new ArgumentNotDataError(
          path,
          `is ${value}, which JSON cannot carry`,
        );
      }
      return value;
    case 'bigint':
      throw new ArgumentNotDataError(
        path,
        'is a BigInt, which JSON cannot carry (send it as a string)',
      );
    case 'symbol':
      throw new ArgumentNotDataError(path, 'is a symbol');
    case 'function':
      throw new ArgumentNotDataError(path, 'is a function');
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Date) {
    if (Number.isNaN(object.getTime())) {
      throw new ArgumentNotDataError(path, 'is an invalid Date');
    }
    return object.toISOString();
  }
  if (seen.has(object)) {
    throw new ArgumentNotDataError(
      path,
      'refers back to an object that contains it (a cycle)',
    );
  }
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      return object.map((item, index) =>
        visit(item, `${path}[${index}]`, seen),
      );
    }
    const prototype = Object.getPrototypeOf(object) as object | null;
    if (prototype !== Object.prototype && prototype !== null) {
      const className = (object.constructor as { name?: string } | undefined)
        ?.name;
      throw new ArgumentNotDataError(
        path,
        `is an instance of ${className ? `class ${className}` : 'a class'}, not plain data`,
      );
    }
    return visitObject(object as Record<string, unknown>, path, seen);
  } finally {
    seen.delete(object);
  }
}

function visitObject(
  object: Record<string, unknown>,
  path: string,
  seen: Set<object>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    const item = object[key];
    if (item === undefined) continue; // as JSON.stringify does
    copy[key] = visit(item, `${path}${propertyPath(key)}`, seen);
  }
  for (const symbol of Object.getOwnPropertySymbols(object)) {
    throw new ArgumentNotDataError(
      `${path}[${String(symbol)}]`,
      'is keyed by a symbol',
    );
  }
  return copy;
}

function propertyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key)
    ? `.${key}`
    : `[${JSON.stringify(key)}]`;
}
