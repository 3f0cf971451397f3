import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { TaskQueueHealth } from '../health/task-queue-health.service';
import { MetricsHttpServer } from '../metrics/metrics-http-server';
import { TaskQueueMetrics } from '../metrics/task-queue-metrics.service';
import { MonitoringEndpoint } from '../options/observability-options';

/**
 * `/metrics` and `/health` on a port of this process (`bootstrapWorker` and
 * `bootstrapBeat` with `metricsPort`): Prometheus scrapes the first, Kubernetes probes
 * the second (200 up, 503 down, the report as JSON).
 */
@Injectable()
export class MonitoringEndpointService
  implements MonitoringEndpoint, OnApplicationShutdown
{
  private readonly logger = new Logger('TaskQueueMonitoring');
  private readonly server: MetricsHttpServer;

  constructor(
    private readonly metrics: TaskQueueMetrics,
    health: TaskQueueHealth,
  ) {
    this.server = new MetricsHttpServer({
      ...(metrics.enabled && {
        '/metrics': async () => ({ status: 200, ...(await metrics.metrics()) }),
      }),
      '/health': async () => {
        const report = await health.check();
        return {
          status: report.status === 'up' ? 200 : 503,
          contentType: 'application/json',
          body: JSON.stringify(report),
        };
      },
    });
  }

  async listen(port: number, host?: string): Promise<number> {
    const bound = await this.server.listen(port, host);
    this.logger.log(
      this.metrics.enabled
        ? `Serving /metrics and /health on port ${bound}`
        : `Serving /health on port ${bound} (/metrics needs the module option \`metrics\`)`,
    );
    return bound;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}
