import {
  Controller,
  Get,
  INestApplication,
  INestApplicationContext,
  Injectable,
  Module,
} from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  TerminusModule,
} from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { Server, createServer } from 'node:http';
import request from 'supertest';
import {
  Task,
  TaskClient,
  TaskQueueHealth,
  TaskQueueHealthIndicator,
  TaskQueueModule,
  bootstrapWorker,
} from '../../../lib';
import { uniqueName, waitUntil } from '../../support/wait';
import { PrivateRedisServer } from '../../support/private-redis-server';

@Controller()
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly taskQueue: TaskQueueHealthIndicator,
  ) {}

  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([() => this.taskQueue.isHealthy('taskQueue')]);
  }
}

@Injectable()
class HealthTasks {
  @Task('health.echo')
  echo(value: string): string {
    return value;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** GET on the worker's own port. */
async function get(
  port: number,
  path: string,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('health on a private redis-server: down when the broker stops, up when it returns', () => {
  let server: PrivateRedisServer;
  let web: INestApplication;
  let worker: INestApplicationContext;
  let port: number;
  const queue = uniqueName('health-q');

  beforeAll(async () => {
    server = await PrivateRedisServer.start();
    const taskQueue = TaskQueueModule.forRoot({
      broker: server.url,
      defaultQueue: queue,
      metrics: true,
      health: { heartbeatInterval: 0.2 },
    });
    // The web app checks through Terminus; the worker serves /health on a port of its own.
    const webModule = await Test.createTestingModule({
      imports: [taskQueue, TerminusModule],
      controllers: [HealthController],
    }).compile();
    web = webModule.createNestApplication({ logger: false });
    await web.init();
    @Module({ imports: [taskQueue], providers: [HealthTasks] })
    class WorkerModule {}
    port = await freePort();
    worker = await bootstrapWorker(WorkerModule, {
      queues: [queue],
      logger: false,
      metricsPort: port,
    });
  });

  afterAll(async () => {
    await worker?.close();
    await web?.close();
    await server?.stop();
  });

  const terminus = () => request(web.getHttpServer() as Server).get('/health');

  it('reports up while connected and consuming, down while the broker is away, up again when it is back', async () => {
    const up = await terminus();
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({
      status: 'ok',
      info: {
        taskQueue: {
          status: 'up',
          broker: { kind: 'redis', connected: true },
          problems: [],
        },
      },
    });
    const workerUp = await get(port, '/health');
    expect(workerUp.status).toBe(200);
    expect(JSON.parse(workerUp.body)).toMatchObject({
      status: 'up',
      worker: { consuming: true, running: 0 },
    });

    await server.kill();
    await waitUntil(
      async () => (await terminus()).status === 503,
      10_000,
      'Terminus to answer 503',
    );
    const down = await terminus();
    expect(down.body).toMatchObject({
      status: 'error',
      error: {
        taskQueue: {
          status: 'down',
          broker: { kind: 'redis', connected: false },
        },
      },
    });
    const downBody = down.body as {
      error: { taskQueue: { problems: string[] } };
    };
    expect(downBody.error.taskQueue.problems).toContain(
      'not connected to the redis broker',
    );
    await waitUntil(
      async () => (await get(port, '/health')).status === 503,
      10_000,
      "the worker's /health to answer 503",
    );
    const report = await worker.get(TaskQueueHealth).check();
    expect(report.status).toBe('down');
    // The heartbeat stops while the broker is away.
    await waitUntil(
      async () =>
        (await worker.get(TaskQueueHealth).check()).heartbeat.ageSeconds > 0.4,
      10_000,
      'the heartbeat to age',
    );

    await server.restart();
    await waitUntil(
      async () => (await terminus()).status === 200,
      15_000,
      'Terminus to answer 200 again',
    );
    await waitUntil(
      async () => (await get(port, '/health')).status === 200,
      15_000,
      "the worker's /health to answer 200 again",
    );
    // Working again: a task goes through, and the reconnect was counted.
    const result = await web.get(TaskClient).send('health.echo', ['back']);
    expect(await result.get({ timeout: 10 })).toBe('back');
    const metrics = await get(port, '/metrics');
    expect(metrics.status).toBe(200);
    const reconnects =
      /^celeriac_broker_reconnects_total\{broker="redis"\} (\d+)$/m.exec(
        metrics.body,
      );
    expect(Number(reconnects?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics.body).toMatch(/^celeriac_broker_connected 1$/m);
    expect((await get(port, '/nothing')).status).toBe(404);
  });
});
