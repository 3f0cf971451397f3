import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { TRANSPORT } from '../../../lib/options/tokens';
import { Transport } from '../../../lib/transports/transport';
import { AppModule } from '../../../sample-app/src/app.module';
import { loadConfig } from '../../../sample-app/src/config';
import { waitUntil } from '../../support/wait';

type Body = Record<string, unknown>;

describe('the sample app (npm start: memory:// with an in-process worker)', () => {
  let app: INestApplication;
  let dataDir: string;
  const http = () =>
    request(app.getHttpServer() as Parameters<typeof request>[0]);
  const taskState = async (id: string) =>
    ((await http().get(`/tasks/${id}`)).body as Body).state;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'celeriac-sample-'));
    const config = loadConfig({
      SAMPLE_DATA_DIR: dataDir,
      DASHBOARD_PASSWORD: 'sample-pw',
    });
    const module = await Test.createTestingModule({
      imports: [AppModule.register(config)],
    }).compile();
    app = module.createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('with DASHBOARD_PASSWORD, serves the dashboard at /queues behind Basic auth', async () => {
    const refused = await http().get('/queues').expect(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Basic /);
    await http().get('/queues').auth('admin', 'wrong').expect(401);
    const page = await http()
      .get('/queues')
      .auth('admin', 'sample-pw')
      .expect(200);
    expect(page.text).toContain('name="csrf-token"');
    const { workers } = (
      await http().get('/queues/api/workers').auth('admin', 'sample-pw')
    ).body as { workers: { language: string; queues: string[] }[] };
    expect(workers).toEqual([
      expect.objectContaining({
        language: 'Node.js',
        queues: ['celery', 'transcode'],
      }),
    ]);
  });

  it('POST /signup answers 202 at once and the welcome mail reaches the outbox', async () => {
    const response = await http()
      .post('/signup')
      .send({ email: 'ada@example.com' })
      .expect(202);
    const { userId, taskId } = response.body as {
      userId: string;
      taskId: string;
    };
    expect(userId).toEqual(expect.any(String));
    await waitUntil(
      async () => (await taskState(taskId)) === 'SUCCESS',
      5000,
      'the welcome mail',
    );
    const outbox = (await http().get('/outbox').expect(200)).body as Body[];
    expect(outbox).toEqual([
      expect.objectContaining({
        to: 'ada@example.com',
        subject: 'Welcome to Celeriac',
      }),
    ]);
    await http().post('/signup').send({}).expect(400);
  });

  it('POST /videos sends videos.transcode by name to the transcode queue', async () => {
    // Watches the real memory transport (it still publishes): the in-process worker
    // consumes both queues, so only the publish tells which queue the task went to.
    const publish = jest.spyOn(app.get<Transport>(TRANSPORT), 'publish');
    let videoId: string;
    let taskId: string;
    try {
      const response = await http()
        .post('/videos')
        .send({ title: 'cat.mov' })
        .expect(202);
      ({ videoId, taskId } = response.body as {
        videoId: string;
        taskId: string;
      });
      expect(publish).toHaveBeenCalledTimes(1);
      expect(publish.mock.calls[0][0]).toBe('transcode');
      expect(publish.mock.calls[0][1].headers.task).toBe('videos.transcode');
      expect(publish.mock.calls[0][1].headers.id).toBe(taskId);
    } finally {
      publish.mockRestore();
    }
    await waitUntil(
      async () => (await taskState(taskId)) === 'SUCCESS',
      5000,
      'the transcode',
    );
    const video = (await http().get(`/videos/${videoId}`).expect(200))
      .body as Body;
    expect(video).toMatchObject({
      status: 'ready',
      renditions: [
        `${videoId}-360p.mp4`,
        `${videoId}-720p.mp4`,
        `${videoId}-1080p.mp4`,
      ],
    });
  });

  it('POST /events/:id/participants passes the id, and the task loads the event fresh', async () => {
    const event = (
      await http().post('/events').send({ name: 'launch' }).expect(201)
    ).body as { id: string };
    const { taskId } = (
      await http()
        .post(`/events/${event.id}/participants`)
        .send({ count: 23 })
        .expect(202)
    ).body as { taskId: string };
    await waitUntil(
      async () => (await taskState(taskId)) === 'SUCCESS',
      5000,
      'the update',
    );
    expect(
      (await http().get(`/events/${event.id}`).expect(200)).body,
    ).toMatchObject({ participants: 23 });
    await http()
      .post('/events/nope/participants')
      .send({ count: 1 })
      .expect(404);
  });

  it('POST /math/add answers the result, or the task id with ?async=1', async () => {
    expect(
      (await http().post('/math/add').send({ a: 2, b: 3 }).expect(200)).body,
    ).toEqual({ result: 5 });
    const { taskId } = (
      await http().post('/math/add?async=1').send({ a: 20, b: 22 }).expect(200)
    ).body as {
      taskId: string;
    };
    await waitUntil(
      async () => (await taskState(taskId)) === 'SUCCESS',
      5000,
      'the sum',
    );
    expect((await http().get(`/tasks/${taskId}`)).body).toEqual({
      id: taskId,
      state: 'SUCCESS',
      result: 42,
    });
    await http().post('/math/add').send({ a: 'x', b: 1 }).expect(400);
  });

  it('GET /tasks/:id shows PENDING for an unknown id and FAILURE with the error', async () => {
    expect((await http().get('/tasks/unknown-id').expect(200)).body).toEqual({
      id: 'unknown-id',
      state: 'PENDING',
    });
    // A video whose record vanished: the task fails, and the error is shown.
    const { TaskClient } = await import('../../../lib');
    const sent = await app
      .get(TaskClient)
      .send('videos.transcode', ['missing'], { queue: 'transcode' });
    await waitUntil(
      async () => (await taskState(sent.id)) === 'FAILURE',
      5000,
      'the failure',
    );
    expect((await http().get(`/tasks/${sent.id}`)).body).toEqual({
      id: sent.id,
      state: 'FAILURE',
      error: { type: 'Error', message: 'video missing does not exist' },
    });
  });
});
