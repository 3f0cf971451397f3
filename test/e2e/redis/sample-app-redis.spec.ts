import { INestApplication } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { TaskWorkerService } from '../../../lib';
import { AppModule } from '../../../sample-app/src/app.module';
import { loadConfig } from '../../../sample-app/src/config';
import { SAMPLE_QUEUES } from '../../../sample-app/src/task-queue.config';
import { WorkerModule } from '../../../sample-app/src/worker.module';
import { waitUntil } from '../../support/wait';
import { PrivateRedisServer } from '../../support/private-redis-server';

/**
 * The sample app apart on Redis (its own redis-server: the sample's queue names are
 * fixed): the web app only produces, a worker app runs the transcode.
 */
describe('the sample app on Redis, web and worker apart', () => {
  let server: PrivateRedisServer;
  let dataDir: string;
  let web: INestApplication;
  let worker: TestingModule;

  beforeAll(async () => {
    server = await PrivateRedisServer.start();
    dataDir = await mkdtemp(join(tmpdir(), 'celeriac-sample-redis-'));
    const config = loadConfig({
      BROKER_URL: server.url,
      RESULT_BACKEND: `${server.url}/1`,
      SAMPLE_DATA_DIR: dataDir,
    });
    const webModule = await Test.createTestingModule({
      imports: [AppModule.register(config)],
    }).compile();
    web = webModule.createNestApplication({ logger: false });
    await web.init();
    worker = await Test.createTestingModule({
      imports: [WorkerModule.register(config)],
    }).compile();
    worker.useLogger(false);
    await worker.init();
    await worker
      .get(TaskWorkerService)
      .start({ queues: SAMPLE_QUEUES, concurrency: 4 });
  });

  afterAll(async () => {
    await web?.close();
    await worker?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('POST /videos answers 202, and the worker transcodes the video', async () => {
    const http = () =>
      request(web.getHttpServer() as Parameters<typeof request>[0]);
    const { videoId, taskId } = (
      await http().post('/videos').send({ title: 'cat.mov' }).expect(202)
    ).body as { videoId: string; taskId: string };
    await waitUntil(
      async () =>
        ((await http().get(`/videos/${videoId}`)).body as { status: string })
          .status === 'ready',
      10_000,
      'the transcode',
    );
    const video = (await http().get(`/videos/${videoId}`)).body as {
      renditions: string[];
    };
    expect(video.renditions).toHaveLength(3);
    // The video is marked ready inside the task; its SUCCESS is stored just after.
    const state = async () =>
      ((await http().get(`/tasks/${taskId}`)).body as { state: string }).state;
    await waitUntil(
      async () => (await state()) !== 'PENDING',
      5_000,
      'the stored result',
    );
    expect(await state()).toBe('SUCCESS');
  }, 30_000);
});
