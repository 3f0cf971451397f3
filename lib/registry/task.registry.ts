import { Injectable } from '@nestjs/common';
import { RegisteredTask } from './registered-task';
import { DuplicateTaskError } from './errors';

/** Task name -> handler. Filled at bootstrap by the TaskExplorer. */
@Injectable()
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
