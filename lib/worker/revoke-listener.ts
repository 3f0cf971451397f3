import { Logger } from '@nestjs/common';
import { RevocationStore } from '../results/revocation-store';
import { RevokedTasks } from './revoked-tasks';

/**
 * Keeps a worker's revoked task ids: those commanded live (Celery's `revoke` over the
 * control bus, handled by the worker's ControlNode, which calls `add`) and those kept
 * in the RevocationStore for workers that start later. A revoke with `terminate`
 * calls `onTerminate` for the task id.
 */
export class RevokeListener {
  readonly revoked = new RevokedTasks();

  constructor(
    private readonly deps: {
      revocations: RevocationStore | null;
      /** How long a revoke heard live is kept, in seconds. */
      revokeExpiresSeconds: number;
      onTerminate: (taskId: string) => boolean;
      logger: Logger;
    },
  ) {}

  /** Loads the revokes kept. */
  async start(): Promise<void> {
    const { revocations } = this.deps;
    if (!revocations) return;
    try {
      for (const { taskId, expiresAt } of await revocations.listRevoked()) {
        this.revoked.add(taskId, expiresAt.getTime());
      }
    } catch (error) {
      this.deps.logger.warn(
        `Could not load the revoked task ids: ${String(error)}; only new revokes are honoured`,
      );
    }
  }

  /** Flags the ids as revoked; with `terminate`, returns those that were running. */
  add(taskIds: string[], terminate: boolean): string[] {
    const expiresAt = Date.now() + this.deps.revokeExpiresSeconds * 1000;
    const terminated: string[] = [];
    for (const taskId of taskIds) {
      this.revoked.add(taskId, expiresAt);
      if (terminate && this.deps.onTerminate(taskId)) terminated.push(taskId);
    }
    return terminated;
  }
}
