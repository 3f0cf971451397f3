import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  CanActivate,
  ExecutionContext,
  INestApplication,
  Injectable,
} from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Browser, BrowserContext, Page } from 'playwright-core';
import {
  FleetControl,
  Periodic,
  Task,
  TaskClient,
  TaskContext,
  TaskQueueDashboardModule,
  TaskQueueModule,
  ScheduleRegistry,
} from '../../lib';
import { launchChromium } from '../support/browser';
import { deleteKeys } from '../support/redis-keys';
import { sleep, uniqueName, waitUntil } from '../support/wait';
import { REDIS, interopBroker } from './support/brokers';
import { CeleryWorker } from './support/python';

const KEY = 'let-me-in';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'dashboard');
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

/** The app's own guard: the dashboard takes it through `guards`. */
@Injectable()
class KeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown> }>();
    return request.headers['x-dashboard-key'] === KEY;
  }
}

@Injectable()
class DashboardTasks {
  constructor(private readonly context: TaskContext) {}

  @Task('dash.echo')
  echo(text: string): string {
    return text;
  }

  @Task('dash.fail')
  fail(text: string): never {
    throw new Error(`refused ${text}`);
  }

  @Task('dash.slow')
  async slow(): Promise<string> {
    const signal = this.context.current.signal;
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 60_000);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    return 'slow';
  }

  @Periodic({ every: '1h', name: 'dash-hourly' })
  hourly(): void {}
}

/**
 * The dashboard in headless Chromium, under Express and under Fastify, with a mixed
 * fleet on Redis: the Nest app's own worker and a Python Celery worker.
 */
describe.each([
  { label: 'Express', adapter: () => new ExpressAdapter() },
  { label: 'Fastify', adapter: () => new FastifyAdapter() },
])('the dashboard under $label, in Chromium', ({ label, adapter }) => {
  const broker = interopBroker(REDIS, `dash-${label}`);
  const queue = broker.queue('dash');
  const pythonQueue = broker.queue('dash-py');
  // Nobody consumes it: what is sent there waits, to be purged.
  const idleQueue = broker.queue('dash-idle');
  const historyPrefix = `test:${uniqueName('dash-history')}:`;
  const dashboardOptions = {
    path: 'queues',
    guards: [KeyGuard],
    queues: [idleQueue],
    // A loaded host can take more than Celery's 1 s to answer remote control.
    fleetTimeout: 2,
    history: { keyPrefix: historyPrefix },
  };
  const node = `${uniqueName('nest')}@${hostname()}`;
  let app: INestApplication;
  let url: string;
  let python: CeleryWorker;
  let pythonNode: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const screenshot = (name: string) =>
    page.screenshot({
      path: join(ARTIFACTS, `${label.toLowerCase()}-${name}.png`),
      fullPage: true,
    });
  /** Loads the page afresh (a hash change alone would keep the view on screen). */
  const open = async (hash: string) => {
    await page.goto('about:blank');
    await page.goto(`${url}/queues#/${hash}`);
    await page.waitForSelector(`[data-view="${hash.split('/')[0]}"]`);
  };
  const send = async (name: string, args: unknown[]) => {
    const handle = await app.get(TaskClient).send(name, args, { queue });
    broker.sent.add(handle.id);
    return handle;
  };
  /** Whether the dashboard's history holds the task (in `state`, when given). */
  const recorded = async (id: string, state?: string) => {
    const listed = await fetch(`${url}/queues/api/tasks/${id}`, {
      headers: { 'x-dashboard-key': KEY },
    });
    const { record } = (await listed.json()) as {
      record: { state: string } | null;
    };
    return record !== null && (state === undefined || record.state === state);
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const moduleRef = await Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot(
          broker.nestOptions({
            worker: { queues: [queue], nodeName: node, concurrency: 2 },
            extendedResults: true,
            trackStarted: true,
            // Heartbeats only: task events start when the dashboard asks for them
            // (its enableEvents), which the tasks page's test waits on.
            events: { tasks: false },
          }),
        ),
        TaskQueueDashboardModule.register(dashboardOptions),
      ],
      providers: [DashboardTasks],
    }).compile();
    app = moduleRef.createNestApplication(adapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    python = await CeleryWorker.start({
      name: uniqueName('py'),
      queues: [pythonQueue],
      config: broker.celeryConfig(),
      concurrency: 3,
      // Heartbeats (the harness starts Python without them otherwise) and task events.
      events: true,
    });
    pythonNode = `${python.name}@${hostname()}`;
    browser = await launchChromium();
    context = await browser.newContext({
      extraHTTPHeaders: { 'x-dashboard-key': KEY },
      viewport: { width: 1280, height: 800 },
    });
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    // The last test shuts it down from the page; a run of fewer tests leaves it running.
    await python?.kill();
    await app?.close();
    await broker.cleanup();
    await deleteKeys(historyPrefix);
  });

  it('refuses a request without the guard’s credentials: 403 for the page, its data and its actions', async () => {
    const page403 = await fetch(`${url}/queues`);
    expect(page403.status).toBe(403);
    expect(await page403.text()).not.toContain('csrf-token');
    expect((await fetch(`${url}/queues/api/workers`)).status).toBe(403);
    expect((await fetch(`${url}/queues/assets/dashboard.js`)).status).toBe(403);
    expect((await fetch(`${url}/queues/api/stream`)).status).toBe(403);
    expect((await fetch(`${url}/queues/api/tasks`)).status).toBe(403);
    const anonymous = await browser.newPage();
    const response = await anonymous.goto(`${url}/queues`);
    expect(response?.status()).toBe(403);
    await anonymous.close();
  });

  it('the workers page lists the Nest worker and the Python Celery worker', async () => {
    await open('workers');
    const nestRow = page.locator(`tr[data-node="${node}"]`);
    const pythonRow = page.locator(`tr[data-node="${pythonNode}"]`);
    await nestRow.waitFor();
    await pythonRow.waitFor();
    expect(await nestRow.locator('td .badge').textContent()).toBe('Node.js');
    expect(await pythonRow.locator('td .badge').textContent()).toBe('Python');
    expect(await nestRow.locator('td').nth(2).textContent()).toBe('2');
    expect(await pythonRow.locator('td').nth(2).textContent()).toBe('3');
    await screenshot('workers');
  });

  it('an action without the CSRF token is refused; the page’s own button (with it) grows the pool', async () => {
    const action = `${url}/queues/api/workers/${encodeURIComponent(node)}/pool-grow`;
    const headers = {
      'x-dashboard-key': KEY,
      'content-type': 'application/json',
    };
    const without = await fetch(action, {
      method: 'POST',
      headers,
      body: '{"n":1}',
    });
    expect(without.status).toBe(403);
    expect(await without.text()).toContain('CSRF');
    const wrong = await fetch(action, {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': 'guessed' },
      body: '{"n":1}',
    });
    expect(wrong.status).toBe(403);
    for (const verb of ['revoke', 'retry']) {
      const refused = await fetch(`${url}/queues/api/tasks/some-id/${verb}`, {
        method: 'POST',
        headers,
        body: '{}',
      });
      expect(refused.status).toBe(403);
    }
    const concurrency = async () =>
      (
        await app
          .get(FleetControl)
          .inspect('stats', {}, { destination: [node] })
      )[node]?.pool['max-concurrency'];
    expect(await concurrency()).toBe(2);

    await open('workers');
    await page
      .locator(`tr[data-node="${node}"] button`, { hasText: '+1' })
      .click();
    await waitUntil(async () => (await concurrency()) === 3, 10_000);
  });

  it('a task page shows args, result and traceback as text: HTML in task data is escaped', async () => {
    const echoed = await send('dash.echo', [HOSTILE]);
    await echoed.get({ timeout: 10 });
    await open(`tasks/${echoed.id}`);
    const result = page.locator('pre.result');
    await result.waitFor();
    expect(await result.textContent()).toBe(JSON.stringify(HOSTILE));
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain('dash.echo');
    expect(facts).toContain(JSON.stringify([HOSTILE]));
    expect(await page.locator('main img').count()).toBe(0);

    const failed = await send('dash.fail', [HOSTILE]);
    await expect(failed.get({ timeout: 10 })).rejects.toThrow('refused');
    await open(`tasks/${failed.id}`);
    const trace = page.locator('pre.trace');
    await trace.waitFor();
    expect(await trace.textContent()).toContain(`refused ${HOSTILE}`);
    expect(await page.locator('main img').count()).toBe(0);
    expect(
      await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    await screenshot('task');
  });

  it('revoke from the task page reaches the worker running it', async () => {
    const slow = await send('dash.slow', []);
    await waitUntil(async () => (await slow.state()) === 'STARTED', 10_000);
    await open(`tasks/${slow.id}`);
    await page.locator('#terminate').check();
    await page.locator('#revoke').click();
    await page.locator('#confirm-ok').click();
    await waitUntil(async () => (await slow.state()) === 'REVOKED', 10_000);

    // A task waiting for its countdown: revoked from the page, the worker skips it.
    const later = await app
      .get(TaskClient)
      .send('dash.echo', ['later'], { queue, countdown: 3 });
    broker.sent.add(later.id);
    await open(`tasks/${later.id}`);
    await page.locator('#revoke').click();
    await page.locator('#confirm-ok').click();
    await page.locator('.toast', { hasText: 'Revoke sent' }).waitFor();
    await waitUntil(async () => (await later.state()) === 'REVOKED', 15_000);
    await open(`tasks/${later.id}`);
    await page.locator('[data-task] .badge', { hasText: 'REVOKED' }).waitFor();
  });

  it('the overview shows the Nest and the Python worker live: heartbeats pushed into the page, the chart drawn', async () => {
    await open('overview');
    for (const name of [node, pythonNode]) {
      // data-beat is set only by a heartbeat the stream pushed, never by a page load.
      const row = page.locator(`tr[data-node="${name}"][data-beat]`);
      await row.waitFor({ timeout: 15_000 });
      expect(await row.locator('td').nth(6).textContent()).toMatch(
        /^\d+\.\d\d \d+\.\d\d \d+\.\d\d$/,
      );
    }
    await page.locator('#live.on').waitFor();
    await page
      .locator('[data-chart="throughput"] svg polyline.succeeded')
      .waitFor({ state: 'attached' });
    await screenshot('overview-live');
  }, 45_000);

  it("a Python worker's task is in the history with its node, arguments and result as its events told them", async () => {
    const client = app.get(TaskClient);
    // The Python worker sends task events once the dashboard asked it (enableEvents).
    let id = '';
    await waitUntil(async () => {
      const handle = await client.send('py.add', [2, 3], {
        queue: pythonQueue,
      });
      broker.sent.add(handle.id);
      expect(await handle.get({ timeout: 15 })).toBe(5);
      id = handle.id;
      await sleep(500);
      return recorded(id, 'SUCCESS');
    }, 30_000);
    const listed = await fetch(`${url}/queues/api/tasks/${id}`, {
      headers: { 'x-dashboard-key': KEY },
    });
    const { record } = (await listed.json()) as {
      record: { name: string; worker: string; args: string; result: string };
    };
    expect(record).toMatchObject({
      name: 'py.add',
      worker: pythonNode,
      // The producer's argsrepr header, which Celery's worker passes on (a list here).
      args: '[2, 3]',
      result: '5',
    });
  });

  it('the tasks page lists recent tasks from the events, filtered on the server and paged; a task shows its traceback', async () => {
    const client = app.get(TaskClient);
    // Task events reach the app once it asked the workers for them (enableEvents), and
    // the history a flush later: probes are sent until one of them is recorded.
    const probes: string[] = [];
    await waitUntil(async () => {
      const probe = await send('dash.echo', ['probe']);
      await probe.get({ timeout: 10 });
      probes.push(probe.id);
      await sleep(500);
      for (const id of probes) if (await recorded(id)) return true;
      return false;
    }, 20_000);
    const failed = await send('dash.fail', [HOSTILE]);
    await expect(failed.get({ timeout: 10 })).rejects.toThrow('refused');
    const echoes = [];
    for (let i = 0; i < 3; i++) echoes.push(await send('dash.echo', [`e${i}`]));
    await Promise.all(echoes.map((echo) => echo.get({ timeout: 10 })));

    await open('tasks');
    const row = page.locator(`tr[data-task-id="${failed.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('td').nth(1).textContent()).toBe('dash.fail');
    expect(await row.locator('[data-state]').textContent()).toBe('FAILURE');
    // The arguments are the event's Python repr, shown as text.
    expect(await row.locator('td').nth(4).textContent()).toContain(HOSTILE);
    expect(await page.locator('main img').count()).toBe(0);
    await screenshot('tasks');

    await page.locator('select[name="state"]').selectOption('FAILURE');
    await page.locator('form.filters button[type="submit"]').click();
    await waitUntil(
      async () =>
        (await page.locator('#task-results tr[data-task-id]').count()) > 0 &&
        (
          await page.locator('#task-results [data-state]').allTextContents()
        ).every((state) => state === 'FAILURE'),
      10_000,
    );
    const listed = await fetch(
      `${url}/queues/api/tasks?state=SUCCESS&name=dash.echo&limit=2&offset=1`,
      { headers: { 'x-dashboard-key': KEY } },
    );
    const body = (await listed.json()) as {
      total: number;
      tasks: { name: string; state: string }[];
    };
    expect(body.total).toBeGreaterThanOrEqual(4);
    expect(body.tasks).toHaveLength(2);
    expect(
      body.tasks.every((t) => t.name === 'dash.echo' && t.state === 'SUCCESS'),
    ).toBe(true);
    const bad = await fetch(`${url}/queues/api/tasks?state=NOPE`, {
      headers: { 'x-dashboard-key': KEY },
    });
    expect(bad.status).toBe(400);

    await row.locator('a').click();
    await page.waitForSelector(`[data-task="${failed.id}"]`);
    expect(await page.locator('pre.trace').textContent()).toContain(
      `refused ${HOSTILE}`,
    );
    expect(await page.locator('dl.facts').textContent()).toContain(node);
    await screenshot('task-failed');

    // Retry sends it again (same name, args, queue) under a new id.
    await page.locator('#retry').click();
    await page.locator('#confirm-ok').click();
    await waitUntil(() => {
      const hash = new URL(page.url()).hash;
      return hash.startsWith('#/tasks/') && !hash.endsWith(failed.id);
    }, 10_000);
    const again = decodeURIComponent(
      new URL(page.url()).hash.replace('#/tasks/', ''),
    );
    broker.sent.add(again);
    const retried = client.result(again);
    await expect(retried.get({ timeout: 10 })).rejects.toThrow(
      `refused ${HOSTILE}`,
    );
  }, 60_000);

  it('purge asks for the queue name before it empties the queue', async () => {
    const client = app.get(TaskClient);
    for (let i = 0; i < 3; i++) {
      const handle = await client.send('dash.echo', ['idle'], {
        queue: idleQueue,
      });
      broker.sent.add(handle.id);
    }
    await open('queues');
    const row = page.locator(`tr[data-queue="${idleQueue}"]`);
    await waitUntil(
      async () => (await row.locator('td').nth(1).textContent()) === '3',
      10_000,
    );
    await row.locator('button', { hasText: 'Purge' }).click();
    const dialog = page.locator('dialog#confirm');
    await dialog.waitFor();
    expect(await page.locator('#confirm-ok').isDisabled()).toBe(true);
    await page.locator('#confirm-typed').fill('not-the-name');
    expect(await page.locator('#confirm-ok').isDisabled()).toBe(true);
    await page.locator('#confirm-cancel').click();
    await page.keyboard.press('r');
    await waitUntil(
      async () => (await row.locator('td').nth(1).textContent()) === '3',
      5_000,
    );
    await row.locator('button', { hasText: 'Purge' }).click();
    await page.locator('#confirm-typed').fill(idleQueue);
    await page.locator('#confirm-ok').click();
    await page.locator('.toast', { hasText: 'Purged 3 message(s)' }).waitFor();
  });

  it('history survives a restart of the app: a new instance on the same Redis lists what the first recorded and draws its chart again', async () => {
    // A success and a failure of its own in the history, whatever ran before this test.
    await waitUntil(async () => {
      const ok = await send('dash.echo', ['before the restart']);
      const bad = await send('dash.fail', ['before the restart']);
      await ok.get({ timeout: 10 });
      await expect(bad.get({ timeout: 10 })).rejects.toThrow('refused');
      await sleep(500);
      return (
        (await recorded(ok.id, 'SUCCESS')) &&
        (await recorded(bad.id, 'FAILURE'))
      );
    }, 20_000);
    const first = await fetch(`${url}/queues/api/tasks?limit=5`, {
      headers: { 'x-dashboard-key': KEY },
    });
    const before = (await first.json()) as {
      history: string;
      total: number;
      tasks: { id: string }[];
    };
    expect(before.history).toBe('redis');
    expect(before.total).toBeGreaterThan(0);
    const restarted = await Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot(broker.nestOptions({})),
        TaskQueueDashboardModule.register(dashboardOptions),
      ],
    }).compile();
    const again = restarted.createNestApplication(adapter(), { logger: false });
    await again.listen(0, '127.0.0.1');
    try {
      const againUrl = (await again.getUrl()).replace('[::1]', '127.0.0.1');
      const listed = await fetch(
        `${againUrl}/queues/api/tasks/${before.tasks[0].id}`,
        { headers: { 'x-dashboard-key': KEY } },
      );
      const detail = (await listed.json()) as { record: { id: string } | null };
      expect(detail.record?.id).toBe(before.tasks[0].id);
      // Its chart is drawn again from the history: the tasks run before it started.
      await waitUntil(async () => {
        const chart = await fetch(`${againUrl}/queues/api/throughput`, {
          headers: { 'x-dashboard-key': KEY },
        });
        const { series } = (await chart.json()) as {
          series: { succeeded: number; failed: number }[];
        };
        return (
          series.some((point) => point.succeeded > 0) &&
          series.some((point) => point.failed > 0)
        );
      }, 5_000);
    } finally {
      await again.close();
    }
  });

  it('the queues page shows depth and dead letters, and asks before replaying them', async () => {
    await send('dash.no-such-task', [HOSTILE]);
    await open('queues');
    const row = page.locator(`tr[data-queue="${queue}"]`);
    await waitUntil(async () => {
      await page.keyboard.press('r');
      await page.waitForTimeout(300);
      return (await row.locator('td').nth(5).textContent()) === '1';
    }, 15_000);
    await row.locator('button', { hasText: 'Dead letters' }).click();
    await page
      .getByRole('cell', { name: 'dash.no-such-task', exact: true })
      .waitFor();
    const letter = page.locator('tr', { hasText: 'dash.no-such-task' });
    expect(await letter.locator('td').nth(4).textContent()).toBe(
      `${JSON.stringify([HOSTILE])} {}`,
    );
    expect(await page.locator('main img').count()).toBe(0);
    await screenshot('queues');

    await row.locator('button', { hasText: 'Replay' }).click();
    const dialog = page.locator('dialog#confirm');
    await dialog.waitFor();
    expect(await dialog.locator('h2').textContent()).toContain(queue);
    await page.locator('#confirm-cancel').click();
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.locator('.toast', { hasText: 'Replay' }).count()).toBe(0);

    await row.locator('button', { hasText: 'Replay' }).click();
    await page.locator('#confirm-ok').click();
    await page
      .locator('.toast', { hasText: 'Replayed 1 message(s)' })
      .waitFor();
  });

  it('the schedules page lists @Periodic schedules with their next run; the overview sums the fleet', async () => {
    await open('schedules');
    const row = page.locator('tr[data-schedule="dash-hourly"]');
    await row.waitFor();
    expect(await row.locator('td').nth(4).textContent()).toMatch(
      /^in \d+m$|^in 1h$/,
    );
    await screenshot('schedules');
    const schedules = app.get(ScheduleRegistry);
    await row.locator('button', { hasText: 'Pause' }).click();
    await waitUntil(
      async () => (await schedules.getSchedule('dash-hourly')).paused,
      10_000,
    );
    await row.locator('button', { hasText: 'Resume' }).click();
    await waitUntil(
      async () => !(await schedules.getSchedule('dash-hourly')).paused,
      10_000,
    );

    await open('overview');
    const online = page.locator('[data-card="workers-online"] .value');
    await waitUntil(
      async () => Number(await online.textContent()) >= 2,
      20_000,
    );
    await screenshot('overview');
    await page.locator('#theme').click();
    await screenshot('overview-other-theme');
  }, 60_000);

  it('is usable by keyboard, and shuts a Python worker down from the page after a confirmation', async () => {
    await open('overview');
    await page.keyboard.press('2');
    await page.waitForSelector('[data-view="workers"]');
    const row = page.locator(`tr[data-node="${pythonNode}"]`);
    await row.waitFor();
    await row.locator('button', { hasText: 'Shut down' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog#confirm');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(false);
    expect(python.output).not.toMatch(/Got shutdown from remote/);

    await row.locator('button', { hasText: 'Shut down' }).click();
    await page.locator('#confirm-ok').click();
    await python.waitForLog(/Got shutdown from remote/, 15_000);
  });
});
