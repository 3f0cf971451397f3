/** Errors of task registration and of task options, thrown at bootstrap or when a call is checked. */
import { idAdvice } from '../protocol';
import { RegisteredTask } from './registered-task';

/** Two handlers claim one task name: the bootstrap fails, naming both. */
export class DuplicateTaskError extends Error {
  override readonly name = 'DuplicateTaskError';
  constructor(taskName: string, first: RegisteredTask, second: RegisteredTask) {
    const firstAt = `${first.className}.${first.methodName}`;
    const secondAt = `${second.className}.${second.methodName}`;
    super(
      firstAt === secondAt
        ? `Task name "${taskName}" is registered twice, both times by ${firstAt}: the class ` +
            `${first.className} is provided twice (in two modules, or as two useValue/useFactory ` +
            `providers). Provide it in one module and import that module where it is needed.`
        : `Task name "${taskName}" is registered twice: by ${firstAt} ` +
            `and by ${secondAt}. Give one of them another name.`,
    );
  }
}

/** A `@Task` on a provider that is not a singleton: tasks run outside any request. */
export class ScopedTaskProviderError extends Error {
  override readonly name = 'ScopedTaskProviderError';
  constructor(className: string, methodName: string) {
    super(
      `@Task ${className}.${methodName} is on a request- or transient-scoped provider ` +
        `(or one that depends on such a provider). Tasks run outside any HTTP request, so ` +
        `their providers must be singletons (the default scope): move the task to a singleton provider.`,
    );
  }
}

/** A task option (in `@Task`, `taskDefaults` or a call) that cannot be used. */
export class InvalidTaskOptionError extends Error {
  override readonly name = 'InvalidTaskOptionError';
  constructor(where: string, option: string, value: unknown, expected: string) {
    super(
      `${where}: ${option} ${describeValue(value)} is not valid (${expected})`,
    );
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'function')
    return `[function ${value.name || 'anonymous'}]`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A task parameter declared as a class instance (an entity, a Map, a Buffer...): a
 * message carries JSON data only, so the task could never receive one. The bootstrap
 * fails with the advice the client's argument guard gives.
 */
export class NotDataParameterError extends Error {
  override readonly name = 'NotDataParameterError';
  constructor(task: string, method: string, index: number, className: string) {
    super(
      `@Task ${task} (${method}): parameter ${index + 1} is declared as ` +
        `${className ? `class ${className}` : 'a class'}, but task arguments are data ` +
        `(JSON), so it could never receive one. ${idAdvice(className || undefined)} ` +
        `(Parameters may be declared string, number, boolean, an array, an interface or ` +
        `a type, or Date, which is given as a Date.)`,
    );
  }
}

/**
 * Arguments that do not fit a task's parameters (one missing, one too many, an
 * unknown keyword): a plain `TypeError`, worded as Python words it, so a Python caller
 * catches it as `TypeError`. The task does not run.
 */
export function taskArgumentsError(
  problem: string,
  signature: string,
): TypeError {
  return new TypeError(`${problem} (the task's parameters: ${signature})`);
}
