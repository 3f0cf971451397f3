import { Controller, Get, Res } from '@nestjs/common';
import { TaskQueueMetrics } from './task-queue-metrics.service';

/** The response of Express or Fastify, as far as this controller uses it. */
interface HeaderSetter {
  header(name: string, value: string): unknown;
}

/**
 * `GET /metrics`: Celeriac's metrics (and the rest of the registry they are on) for
 * Prometheus. Mount it in a module of the HTTP app: `controllers:
 * [TaskQueueMetricsController]`. Needs the module option `metrics`.
 */
@Controller()
export class TaskQueueMetricsController {
  constructor(private readonly metrics: TaskQueueMetrics) {
    if (!metrics.enabled) {
      throw new Error(
        'TaskQueueMetricsController needs the module option `metrics` (true, or options)',
      );
    }
  }

  @Get('metrics')
  async scrape(
    @Res({ passthrough: true }) response: HeaderSetter,
  ): Promise<string> {
    const { contentType, body } = await this.metrics.metrics();
    response.header('Content-Type', contentType);
    return body;
  }
}
