/** What `@Arg` and `@Kwargs` say about the parameters of a task method. */
export interface TaskParameterMetadata {
  /** Parameter index -> the keyword name `@Arg` gave it. */
  names: Record<number, string>;
  /** The index of the `@Kwargs()` parameter, if one has it. */
  kwargsIndex: number | null;
}

const TASK_PARAMETERS = 'celeriac:task-parameters';

/**
 * Names a task parameter for keyword arguments (Python's `kwargs`), as `@Param('id')`
 * names a route parameter: `add(@Arg('a') a: number, @Arg('b') b: number)`. Only
 * needed when the name cannot be read from the method (a destructuring pattern,
 * minified code) or should differ from it; otherwise the parameter's own name is used.
 */
export function Arg(name: string): ParameterDecorator {
  if (typeof name !== 'string' || !/^[A-Za-z_]\w*$/.test(name)) {
    throw new TypeError(
      `@Arg(${JSON.stringify(name)}): give a keyword name such as 'user_id'`,
    );
  }
  return (target, propertyKey, index) => {
    const metadata = ownMetadata(target, propertyKey);
    metadata.names[index] = name;
  };
}

/**
 * The parameter that receives the keyword arguments no other parameter takes, as one
 * plain object (`{}` when there are none): Python's `**kwargs`. It is never filled by a
 * positional argument; a Nest caller that passes it by reference
 * (`task(T, 'm').delay(a, { x: 1 })`) sends it as kwargs, as Python would.
 */
export function Kwargs(): ParameterDecorator {
  return (target, propertyKey, index) => {
    const metadata = ownMetadata(target, propertyKey);
    if (metadata.kwargsIndex !== null && metadata.kwargsIndex !== index) {
      throw new TypeError(
        `${describe(target, propertyKey)}: only one parameter can be @Kwargs()`,
      );
    }
    metadata.kwargsIndex = index;
  };
}

/** The `@Arg` / `@Kwargs` metadata of method `methodName` of `prototype`. */
export function getTaskParameterMetadata(
  prototype: object,
  methodName: string | symbol,
): TaskParameterMetadata {
  return (
    (Reflect.getMetadata(TASK_PARAMETERS, prototype, methodName) as
      TaskParameterMetadata | undefined) ?? { names: {}, kwargsIndex: null }
  );
}

function ownMetadata(
  target: object,
  propertyKey: string | symbol | undefined,
): TaskParameterMetadata {
  if (propertyKey === undefined) {
    throw new TypeError(
      `${describe(target, propertyKey)}: @Arg and @Kwargs go on the parameters of a @Task method, not of a constructor`,
    );
  }
  const existing = Reflect.getOwnMetadata(
    TASK_PARAMETERS,
    target,
    propertyKey,
  ) as TaskParameterMetadata | undefined;
  if (existing) return existing;
  const created: TaskParameterMetadata = { names: {}, kwargsIndex: null };
  Reflect.defineMetadata(TASK_PARAMETERS, created, target, propertyKey);
  return created;
}

function describe(
  target: object,
  propertyKey: string | symbol | undefined,
): string {
  const type =
    typeof target === 'function'
      ? (target as { name?: string }).name
      : (target.constructor as { name?: string } | undefined)?.name;
  return propertyKey === undefined
    ? `constructor of ${type ?? 'a class'}`
    : `${type ?? 'a class'}.${String(propertyKey)}`;
}
