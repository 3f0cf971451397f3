import { TaskQueueHealthReport } from './health-report';

/**
 * Thrown by `TaskQueueHealthIndicator.isHealthy` when the task queue is down. It is a
 * Terminus health check error (`isHealthCheckError`, `causes`): HealthCheckService
 * answers 503 with the report under the indicator's key.
 */
export class TaskQueueUnhealthyError extends Error {
  override readonly name = 'TaskQueueUnhealthyError';
  /** Read by @nestjs/terminus (10 and 11) to tell a health failure from a bug. */
  readonly isHealthCheckError = true;

  constructor(
    readonly causes: Record<string, TaskQueueHealthReport & { status: 'down' }>,
  ) {
    const problems = Object.values(causes).flatMap((c) => c.problems);
    super(`task queue is down: ${problems.join('; ')}`);
  }
}
