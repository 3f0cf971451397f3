import { RegisteredTask } from './registered-task';

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

/** Task name -> handler. Filled at bootstrap by the TaskExplorer. */
export class TaskRegistry {
  private readonly tasks = new Map<string, RegisteredTask>();
  /**
   * Whether runs keep the running task readable through TaskContext; set at bootstrap
   * from whether anything injects TaskContext (see injectsTaskContext).
   */
  tracksTaskContext = true;

  register(task: RegisteredTask): void {
    const existing = this.tasks.get(task.name);
    if (existing) throw new DuplicateTaskError(task.name, existing, task);
    this.tasks.set(task.name, task);
  }

  get(name: string): RegisteredTask | undefined {
    return this.tasks.get(name);
  }

  has(name: string): boolean {
    return this.tasks.has(name);
  }

  names(): string[] {
    return [...this.tasks.keys()].sort();
  }

  all(): RegisteredTask[] {
    return [...this.tasks.values()];
  }
}
