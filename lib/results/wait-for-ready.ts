import { EventEmitter } from 'node:events';
import { ResultMeta, isReady } from '../protocol';

/**
 * Waits for a task's ready state on an emitter that emits each new state under the
 * task id: resolves with `current` at once if it is ready, else with the first ready
 * state emitted, or with undefined after `timeoutMs`. `onUpdate` sees every state.
 */
export function waitForReadyState(
  updates: EventEmitter,
  taskId: string,
  current: ResultMeta | undefined,
  timeoutMs: number,
  onUpdate?: (meta: ResultMeta) => void,
): Promise<ResultMeta | undefined> {
  if (current && isReady(current.status)) return Promise.resolve(current);
  return new Promise((resolve) => {
    const listener = (meta: ResultMeta) => {
      onUpdate?.(meta);
      if (isReady(meta.status)) finish(meta);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const finish = (meta: ResultMeta | undefined) => {
      clearTimeout(timer);
      updates.off(taskId, listener);
      resolve(meta);
    };
    updates.on(taskId, listener);
  });
}
