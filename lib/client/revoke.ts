import { Logger } from '@nestjs/common';
import { RevocationStore } from '../results/revocation-store';
import { ControlBus, revokeMessage } from '../transports/control-bus';
import { RevokeNotSupportedError } from './errors';
import { RevokeOptions } from './send-options';

/**
 * Revokes tasks as Celery's `app.control.revoke` does: keeps the ids for
 * `ttlSeconds` (so a worker that starts later skips them too), then broadcasts the
 * revoke command to every worker. Workers store REVOKED when they meet the task.
 */
export async function revokeTasks(
  bus: ControlBus | null,
  store: RevocationStore | null,
  brokerKind: string,
  taskIds: readonly string[],
  options: RevokeOptions,
  ttlSeconds: number,
): Promise<void> {
  if (taskIds.length === 0) return;
  if (taskIds.some((id) => typeof id !== 'string' || id === '')) {
    throw new TypeError('revoke: task ids must be non-empty strings');
  }
  if (!bus) throw new RevokeNotSupportedError(brokerKind);
  if (store) await store.addRevoked(taskIds, ttlSeconds);
  else warnNotKept(bus, brokerKind);
  await bus.broadcastControl(
    revokeMessage(taskIds, options.terminate ?? false, options.signal),
  );
}

const warned = new WeakSet<ControlBus>();

/** Once per bus: without a RevocationStore a revoke reaches running workers only. */
function warnNotKept(bus: ControlBus, brokerKind: string): void {
  if (warned.has(bus)) return;
  warned.add(bus);
  new Logger('TaskClient').warn(
    `Revokes are not kept on the ${brokerKind} broker with this result backend: ` +
      `only workers running now hear them (keeping them needs a RevocationStore)`,
  );
}
