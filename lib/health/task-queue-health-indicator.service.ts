import { Injectable } from '@nestjs/common';
import { TaskQueueUnhealthyError } from './errors';
import { TaskQueueHealthReport } from './health-report';
import { TaskQueueHealth } from './task-queue-health.service';

/**
 * A `@nestjs/terminus` health indicator (Terminus 10 and 11) for the task queue:
 *
 * ```ts
 * @Get('health')
 * @HealthCheck()
 * check() {
 *   return this.health.check([() => this.taskQueue.isHealthy('taskQueue')]);
 * }
 * ```
 *
 * Up: the report under `key`. Down: a TaskQueueUnhealthyError that Terminus answers
 * with 503 and the report. It needs nothing from Terminus itself.
 */
@Injectable()
export class TaskQueueHealthIndicator {
  constructor(private readonly health: TaskQueueHealth) {}

  async isHealthy(
    key = 'taskQueue',
  ): Promise<Record<string, TaskQueueHealthReport>> {
    const report = await this.health.check();
    if (report.status === 'down')
      throw new TaskQueueUnhealthyError({
        [key]: report as TaskQueueHealthReport & { status: 'down' },
      });
    return { [key]: report };
  }
}
