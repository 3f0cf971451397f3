import { NotRegisteredError } from '../../client/errors';
import { readSignature } from '../../protocol';
import { bindArguments } from '../../registry/bind-arguments';
import { RegisteredTask } from '../../registry/registered-task';

/** Finds a task this process registered. */
export type TaskLookup = (name: string) => RegisteredTask | undefined;

/**
 * Celery's `celery.map` (`star` false: `task(item)`) and `celery.starmap` (`task(*item)`):
 * the task is called in this process for each item, one after the other, and the
 * results come back as one list. As Celery's `signature(task).type`, the signature's
 * own partial arguments are not used. A task this worker does not know fails the
 * whole map with NotRegistered.
 */
export async function mapItems(
  find: TaskLookup,
  task: unknown,
  it: unknown,
  star: boolean,
): Promise<unknown[]> {
  const name =
    typeof task === 'string' ? task : readSignature(task, 'task').task;
  const target = find(name);
  if (!target) throw new NotRegisteredError(name, ' in this worker');
  if (!Array.isArray(it))
    throw new TypeError(
      `${star ? 'celery.starmap' : 'celery.map'}: it must be a list, got ${JSON.stringify(it)}`,
    );
  const results: unknown[] = [];
  for (const item of it) {
    const args = star ? starArgs(name, item) : [item];
    results.push(
      await target.invoke(...bindArguments(target.signature, args, {})),
    );
  }
  return results;
}

function starArgs(name: string, item: unknown): unknown[] {
  if (!Array.isArray(item))
    throw new TypeError(
      `${name}() argument after * must be a list, not ${JSON.stringify(item)}`,
    );
  return item;
}
