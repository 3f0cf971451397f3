import { ModulesContainer } from '@nestjs/core';
import { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { TaskContext } from '../context/task-context.service';
import { TaskLogger } from '../context/task-logger.service';

/** What reads the running task: injecting one of these turns tracking on. */
const READERS: unknown[] = [TaskContext, TaskLogger];

/**
 * True when some provider, controller or enhancer of the app has TaskContext or
 * TaskLogger injected (by constructor, a factory's `inject` or a property), as Nest
 * resolved it. Workers track the running task (AsyncLocalStorage, whose promise hooks
 * then slow every promise of the process) only when someone can read it.
 */
export function injectsTaskContext(modules: ModulesContainer): boolean {
  for (const module of modules.values()) {
    const wrappers = [
      ...module.providers.values(),
      ...module.controllers.values(),
      ...module.injectables.values(),
    ];
    if (wrappers.some(dependsOnTaskContext)) return true;
  }
  return false;
}

function dependsOnTaskContext(wrapper: InstanceWrapper): boolean {
  if (READERS.includes(wrapper.token)) return false;
  // Both lists are undefined for a wrapper without such dependencies.
  const dependencies = [
    ...((wrapper.getCtorMetadata() as InstanceWrapper[] | undefined) ?? []),
    ...(wrapper.getPropertiesMetadata() ?? []).map(
      (property) => property.wrapper,
    ),
  ];
  return dependencies.some((dependency) => READERS.includes(dependency?.token));
}
