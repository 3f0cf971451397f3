import { getTaskParameterMetadata } from '../decorators/task-arguments.decorator';
import { NotDataParameterError } from './errors';
import { AnyFunction, parameterList } from './parameter-list';

/** One parameter of a task method, as arguments are bound to it. */
export interface TaskParameter {
  /** The keyword name (`@Arg`, else the source's); null when it has none. */
  name: string | null;
  /** It has a default: a call may leave it out. */
  optional: boolean;
  /** `...rest`: takes the positional arguments left. */
  rest: boolean;
  /** `@Kwargs()`: takes the keyword arguments no other parameter takes, as one object. */
  kwargs: boolean;
  /** Declared `Date`: an ISO-8601 string argument is given as a Date. */
  date: boolean;
}

/**
 * How a task's arguments meet its method: its parameters, read at bootstrap from the
 * method's source, `@Arg`/`@Kwargs` and `design:paramtypes`. `bindArguments` uses it
 * for every run.
 */
export interface TaskSignature {
  /** The task's name, for errors (`math.add() missing ...`). */
  task: string;
  /** Null when the method's parameters cannot be read (a bound or native function). */
  parameters: TaskParameter[] | null;
  /** Positional arguments it takes at least and at most (Infinity with a rest parameter). */
  minPositional: number;
  maxPositional: number;
  /** No Date parameter and no `@Kwargs`: a call without kwargs passes its args as they are. */
  plain: boolean;
}

/** Types a parameter may be declared with: JSON's, and Date (revived from ISO strings). */
const DATA_TYPES: unknown[] = [String, Number, Boolean, Array, Object, Date];

/**
 * Reads the signature of `prototype[methodName]` for task `task`. Throws
 * NotDataParameterError when a parameter is declared as a class instance (an entity, a
 * Map...), which no message can carry.
 */
export function taskSignatureOf(
  task: string,
  prototype: object,
  methodName: string,
): TaskSignature {
  const method = (prototype as Record<string, unknown>)[
    methodName
  ] as AnyFunction;
  const metadata = getTaskParameterMetadata(prototype, methodName);
  const types = (Reflect.getMetadata(
    'design:paramtypes',
    prototype,
    methodName,
  ) ?? []) as unknown[];
  types.forEach((type, index) => {
    if (typeof type === 'function' && !DATA_TYPES.includes(type)) {
      throw new NotDataParameterError(
        task,
        `${prototype.constructor.name}.${methodName}`,
        index,
        (type as { name?: string }).name ?? '',
      );
    }
  });
  const source = parameterList(method);
  if (source === null) return signatureOf(task, null);
  const count = Math.max(source.length, types.length);
  const parameters: TaskParameter[] = [];
  for (let index = 0; index < count; index++) {
    const declared = source[index] ?? {
      name: null,
      optional: true,
      rest: false,
    };
    parameters.push({
      name: metadata.names[index] ?? declared.name,
      optional: declared.optional,
      rest: declared.rest,
      kwargs: metadata.kwargsIndex === index,
      date: types[index] === Date,
    });
  }
  return signatureOf(task, parameters);
}

/** A signature from its parameters (null: unknown), with its counts worked out. */
export function signatureOf(
  task: string,
  parameters: TaskParameter[] | null,
): TaskSignature {
  if (parameters === null) {
    return {
      task,
      parameters,
      minPositional: 0,
      maxPositional: Infinity,
      plain: true,
    };
  }
  const positional = parameters.filter((parameter) => !parameter.kwargs);
  const rest = positional.some((parameter) => parameter.rest);
  const lastRequired = positional.reduce(
    (last, parameter, index) =>
      parameter.optional || parameter.rest ? last : index,
    -1,
  );
  return {
    task,
    parameters,
    minPositional: lastRequired + 1,
    maxPositional: rest ? Infinity : positional.length,
    plain: parameters.every(
      (parameter) => !parameter.kwargs && !parameter.date,
    ),
  };
}

/** `math.add(a, b?, ...rest, **options)`: how errors show a task's parameters. */
export function describeSignature(signature: TaskSignature): string {
  const parameters = signature.parameters;
  if (parameters === null) return `${signature.task}(...)`;
  const shown = parameters.map((parameter, index) => {
    const name = parameter.name ?? `<parameter ${index + 1}>`;
    if (parameter.kwargs) return `**${name}`;
    if (parameter.rest) return `...${name}`;
    return parameter.optional ? `${name}?` : name;
  });
  return `${signature.task}(${shown.join(', ')})`;
}
