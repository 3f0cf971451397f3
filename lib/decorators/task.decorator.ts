import { SetMetadata } from '@nestjs/common';
import {
  TASK_METADATA,
  TaskMetadata,
  TaskOptions,
} from '../options/task-options';

/**
 * Marks a provider method as a task. `@Task('math.add')`, `@Task({ name, queue, ... })`,
 * or bare `@Task()` for the name `<ClassName>.<methodName>`.
 */
export function Task(nameOrOptions?: string | TaskOptions): MethodDecorator {
  const options: TaskOptions =
    typeof nameOrOptions === 'string'
      ? { name: nameOrOptions }
      : { ...nameOrOptions };
  return (target, propertyKey, descriptor) => {
    const metadata: TaskMetadata = {
      ...options,
      name: options.name ?? `${target.constructor.name}.${String(propertyKey)}`,
    };
    SetMetadata(TASK_METADATA, metadata)(target, propertyKey, descriptor);
  };
}

/** The @Task metadata of a method, if it has some. */
export function getTaskMetadata(method: unknown): TaskMetadata | undefined {
  if (typeof method !== 'function') return undefined;
  return Reflect.getMetadata(TASK_METADATA, method) as TaskMetadata | undefined;
}
