import { Logger } from '@nestjs/common';
import { RevocationStore } from '../results/revocation-store';
import {
  ControlBus,
  ControlSubscription,
  readRevoke,
} from '../transports/control-bus';
import { RevokedTasks } from './revoked-tasks';

/**
 * Keeps a worker's revoked task ids: those broadcast from now on (Celery's `revoke`
 * over the control bus) and those kept in the RevocationStore for workers that start
 * later. A revoke with `terminate` calls `onTerminate` for the task id.
 */
export class RevokeListener {
  readonly revoked = new RevokedTasks();
  private subscription: ControlSubscription | null = null;

  constructor(
    private readonly deps: {
      controlBus: ControlBus | null;
      revocations: RevocationStore | null;
      /** How long a revoke heard live is kept, in seconds. */
      revokeExpiresSeconds: number;
      onTerminate: (taskId: string) => void;
      logger: Logger;
    },
  ) {}

  /** Subscribes to revokes broadcast from now on, then loads those kept. */
  async start(): Promise<void> {
    const { controlBus, revocations } = this.deps;
    if (controlBus)
      this.subscription = await controlBus.subscribeControl((message) => {
        const revoke = readRevoke(message);
        if (revoke) this.add(revoke.taskIds, revoke.terminate);
      });
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

  async stop(): Promise<void> {
    await this.subscription?.close().catch(() => undefined);
  }

  private add(taskIds: string[], terminate: boolean): void {
    const expiresAt = Date.now() + this.deps.revokeExpiresSeconds * 1000;
    for (const taskId of taskIds) {
      this.revoked.add(taskId, expiresAt);
      if (terminate) this.deps.onTerminate(taskId);
    }
  }
}
