import { INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  Task,
  TaskClient,
  TaskQueueDashboardModule,
  TaskQueueModule,
} from '../../../lib';
import { uniqueName, waitUntil } from '../../support/wait';

@Injectable()
class ApiTasks {
  @Task('api.noop')
  noop(): string {
    return 'ok';
  }
}

/** The dashboard's JSON and actions, by HTTP, on the memory broker: bad input and refusals. */
describe('the dashboard API on memory://', () => {
  const queue = uniqueName('dash-api');
  const apps: INestApplication[] = [];

  async function start(readOnly = false): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot({
          broker: 'memory://',
          worker: { queues: [queue] },
        }),
        TaskQueueDashboardModule.register({
          path: 'admin/queues',
          readOnly,
          queues: ['reports'],
        }),
      ],
      providers: [ApiTasks],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    apps.push(app);
    return app;
  }
  const http = (app: INestApplication) =>
    request(app.getHttpServer() as Parameters<typeof request>[0]);
  const csrfOf = async (app: INestApplication) =>
    /name="csrf-token" content="([^"]+)"/.exec(
      (await http(app).get('/admin/queues').expect(200)).text,
    )![1];

  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('lists the app’s queues, its worker’s and the option’s, with depth and dead letters', async () => {
    const app = await start();
    const body = (await http(app).get('/admin/queues/api/queues').expect(200))
      .body as unknown;
    expect(body).toMatchObject({
      capabilities: { depth: true, deadLetters: true, readOnly: false },
    });
    const names = (body as { queues: { name: string }[] }).queues.map(
      (q) => q.name,
    );
    expect(names).toEqual([queue, 'celery', 'reports'].sort());
    const own = (
      body as { queues: { name: string; consumers: number }[] }
    ).queues.find((q) => q.name === queue);
    expect(own).toMatchObject({ ready: 0, consumers: 1, deadLetters: 0 });
  });

  it('answers bad input with a clear 4xx and touches nothing', async () => {
    const app = await start();
    const csrf = await csrfOf(app);
    const post = (path: string, body: object = {}) =>
      http(app)
        .post(`/admin/queues/api${path}`)
        .set('x-csrf-token', csrf)
        .send(body);
    expect(
      (await http(app).get('/admin/queues/api/queues/nope/dead-letters'))
        .status,
    ).toBe(404);
    expect(
      (
        await http(app).get(
          `/admin/queues/api/queues/${queue}/dead-letters?limit=0`,
        )
      ).status,
    ).toBe(400);
    expect((await http(app).get('/admin/queues/api/tasks/a%20b')).status).toBe(
      400,
    );
    expect((await post('/queues/nope/dead-letters/replay')).status).toBe(404);
    expect((await post('/workers/nobody@nowhere/pool-grow')).status).toBe(404);
    expect((await post('/workers/x/reboot')).status).toBe(404);
    const [node] = (
      (await http(app).get('/admin/queues/api/workers')).body as {
        workers: { node: string; concurrency: number }[];
      }
    ).workers;
    expect(
      (await post(`/workers/${node.node}/pool-grow`, { n: 'ten' })).status,
    ).toBe(400);
    expect((await post('/schedules/none/pause')).status).toBe(404);
    const after = (
      (await http(app).get('/admin/queues/api/workers')).body as {
        workers: { concurrency: number }[];
      }
    ).workers[0];
    expect(after.concurrency).toBe(node.concurrency);
  });

  it('answers a bad tasks query with a 400 that names the bad parameter', async () => {
    const app = await start();
    const bad: [string, RegExp][] = [
      ['offset=-1', /offset must be a number from 0 to 1000000/],
      ['offset=abc', /offset must be a number/],
      ['offset=1.5', /offset and limit must be integers/],
      ['limit=0', /limit must be a number from 1 to 200/],
      ['limit=201', /limit must be a number from 1 to 200/],
      ['limit=2.5', /offset and limit must be integers/],
      ['from=yesterday', /from must be a number from 0/],
      ['to=-1', /to must be a number from 0/],
      [`name=${'x'.repeat(201)}`, /name must be a text of at most 200/],
      [`worker=${'w'.repeat(201)}`, /worker must be a text of at most 200/],
      ['state=DONE', /state must be one of PENDING, /],
    ];
    for (const [query, message] of bad) {
      const response = await http(app).get(`/admin/queues/api/tasks?${query}`);
      expect({ query, status: response.status }).toEqual({
        query,
        status: 400,
      });
      expect((response.body as { message: string }).message).toMatch(message);
    }
    expect(
      (
        await http(app).get(
          `/admin/queues/api/tasks?offset=0&limit=200&from=0&to=1&name=${'x'.repeat(200)}`,
        )
      ).body,
    ).toMatchObject({ total: 0, tasks: [] });
  });

  it('lists the task names and workers the history saw (task-facets)', async () => {
    const app = await start();
    const client = app.get(TaskClient);
    let facets = { names: [] as string[], workers: [] as string[] };
    // Task events flow once the worker took the dashboard's enable_events, and reach the
    // history a flush later: tasks are sent until one of them is recorded.
    await waitUntil(
      async () => {
        await (
          await client.send('api.noop', [], { queue })
        ).get({ timeout: 5 });
        facets = (
          await http(app).get('/admin/queues/api/task-facets').expect(200)
        ).body as typeof facets;
        return facets.names.includes('api.noop');
      },
      15_000,
      'api.noop in the task facets',
    );
    expect(facets.workers.length).toBeGreaterThan(0);
    expect(facets.workers.every((w) => typeof w === 'string')).toBe(true);
  });

  it('refuses with 409 to retry a task whose arguments the backend does not hold', async () => {
    const app = await start();
    const csrf = await csrfOf(app);
    const response = await http(app)
      .post('/admin/queues/api/tasks/unknown-id/retry')
      .set('x-csrf-token', csrf);
    expect(response.status).toBe(409);
    expect((response.body as { message: string }).message).toMatch(
      /task unknown-id: its arguments are not in the result backend; retry needs extended results/,
    );
  });

  it('looks a task up by id, PENDING for an unknown one', async () => {
    const app = await start();
    const handle = await app.get(TaskClient).send('api.noop', [], { queue });
    await handle.get({ timeout: 5 });
    const body = (
      await http(app).get(`/admin/queues/api/tasks/${handle.id}`).expect(200)
    ).body as unknown;
    expect(body).toMatchObject({ id: handle.id, state: 'SUCCESS' });
    expect(
      (await http(app).get('/admin/queues/api/tasks/unknown-id').expect(200))
        .body,
    ).toEqual({
      id: 'unknown-id',
      state: 'PENDING',
      meta: null,
      record: null,
      progress: null,
      children: [],
    });
  });

  it('read-only: shows everything, refuses every action even with the token', async () => {
    const app = await start(true);
    const csrf = await csrfOf(app);
    const [node] = (
      (await http(app).get('/admin/queues/api/workers').expect(200)).body as {
        workers: { node: string }[];
      }
    ).workers;
    const response = await http(app)
      .post(`/admin/queues/api/workers/${node.node}/pool-grow`)
      .set('x-csrf-token', csrf)
      .send({ n: 1 });
    expect(response.status).toBe(403);
    expect((response.body as { message: string }).message).toMatch(/read-only/);
  });
});
