import { Injectable } from '@nestjs/common';
import {
  Task,
  TaskClient,
  TaskRevokedError,
  TaskWorkerService,
} from '../../../lib';
import { buildTaskMessage } from '../../../lib/protocol';
import { TRANSPORT } from '../../../lib/options/tokens';
import { Transport } from '../../../lib/transports/transport';
import { holdResultStores } from '../../support/held-stores';
import { memoryApp } from '../../support/memory-app';
import { sleep, waitUntil } from '../../support/wait';

/** Tasks that let a test hold them open and count how many run at once. */
@Injectable()
class GateTasks {
  running = 0;
  maxRunning = 0;
  done: number[] = [];
  private releases: Array<() => void> = [];

  @Task('gate.hold')
  async hold(n: number): Promise<number> {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    await new Promise<void>((resolve) => this.releases.push(resolve));
    this.running--;
    this.done.push(n);
    return n;
  }

  @Task('gate.quick')
  quick(n: number): number {
    this.done.push(n);
    return n;
  }

  releaseAll(): void {
    this.releases.splice(0).forEach((release) => release());
  }

  waiting(): number {
    return this.releases.length;
  }
}

describe('the worker', () => {
  it('never runs more than `concurrency` tasks at once', async () => {
    const { app } = await memoryApp(
      { providers: [GateTasks] },
      { worker: { concurrency: 3, prefetchMultiplier: 2 } },
    );
    const gate = app.get(GateTasks);
    const client = app.get(TaskClient);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, n) => client.send('gate.hold', [n])),
    );
    await waitUntil(() => gate.waiting() === 3, 5000, 'three running tasks');
    await sleep(100);
    expect(gate.running).toBe(3);
    while (gate.done.length < 12) {
      gate.releaseAll();
      await sleep(5);
    }
    expect(gate.maxRunning).toBe(3);
    expect(
      await Promise.all(results.map((result) => result.get({ timeout: 5 }))),
    ).toHaveLength(12);
    await app.close();
  });

  it('finishes running tasks on shutdown and gives back what it had not started', async () => {
    const { app, broker } = await memoryApp(
      { providers: [GateTasks] },
      { worker: { concurrency: 2, prefetchMultiplier: 3, shutdownTimeout: 5 } },
    );
    const gate = app.get(GateTasks);
    const client = app.get(TaskClient);
    const sent = await Promise.all(
      Array.from({ length: 6 }, (_, n) => client.send('gate.hold', [n])),
    );
    await waitUntil(() => gate.waiting() === 2, 5000, 'two running tasks');
    const closing = app.close();
    await sleep(100);
    gate.releaseAll();
    await closing;
    expect(gate.done.sort()).toEqual([0, 1]);
    expect(await sent[0].state()).toBe('SUCCESS');
    expect(await sent[1].state()).toBe('SUCCESS');
    // The four it had fetched or not yet fetched are back on the queue, none lost.
    expect(broker.size('celery')).toBe(4);
  });

  it('stores FAILURE NotRegistered for an unknown task, dead-letters it, and goes on', async () => {
    const { app, broker } = await memoryApp(
      { providers: [GateTasks] },
      { worker: true },
    );
    const client = app.get(TaskClient);
    const unknown = await client.send('no.such.task', [1]);
    await expect(unknown.get({ timeout: 5 })).rejects.toMatchObject({
      excType: 'NotRegistered',
      excMessage: 'no.such.task',
      excModule: 'celery.exceptions',
    });
    // The FAILURE is stored first, so a caller never waits; the dead letter follows.
    await waitUntil(
      () => broker.deadLetters('celery').length > 0,
      5000,
      'the dead letter',
    );
    expect(broker.deadLetters('celery')).toEqual([
      expect.objectContaining({ reason: 'NotRegistered: no.such.task' }),
    ]);
    expect(
      await (await client.send('gate.quick', [7])).get({ timeout: 5 }),
    ).toBe(7);
    await app.close();
  });

  it('dead-letters a malformed message with the reason and goes on', async () => {
    const { app, broker } = await memoryApp(
      { providers: [GateTasks] },
      { worker: true },
    );
    const bad = buildTaskMessage({
      name: 'gate.quick',
      id: 'bad-1',
      args: [],
      kwargs: {},
      origin: 't',
    });
    bad.body = '[[1], {}, ';
    broker.enqueue('celery', bad);
    const wrongType = buildTaskMessage({
      name: 'gate.quick',
      id: 'bad-2',
      args: [],
      kwargs: {},
      origin: 't',
    });
    wrongType.properties.content_type = 'application/x-python-serialize';
    broker.enqueue('celery', wrongType);
    const good = await app.get(TaskClient).send('gate.quick', [1]);
    expect(await good.get({ timeout: 5 })).toBe(1);
    await waitUntil(
      () => broker.deadLetters('celery').length === 2,
      5000,
      'two dead letters',
    );
    const reasons = broker.deadLetters('celery').map((letter) => letter.reason);
    expect(reasons[0]).toMatch(
      /malformed message: DecodeError: body is not JSON/,
    );
    expect(reasons[1]).toMatch(
      /content type "application\/x-python-serialize" is not supported/,
    );
    await app.close();
  });

  it('does not run an expired task and stores REVOKED', async () => {
    const { app } = await memoryApp({ providers: [GateTasks] });
    const client = app.get(TaskClient);
    const expired = await client.send('gate.quick', [1], {
      expires: new Date(Date.now() - 1000),
    });
    await app.get(TaskWorkerService).start();
    await expect(expired.get({ timeout: 5 })).rejects.toBeInstanceOf(
      TaskRevokedError,
    );
    expect(await expired.state()).toBe('REVOKED');
    expect(app.get(GateTasks).done).toEqual([]);
    await app.close();
  });

  it('runs a countdown task no sooner than asked, and an eta in the past at once', async () => {
    const { app } = await memoryApp(
      { providers: [GateTasks] },
      { worker: true },
    );
    const client = app.get(TaskClient);
    const sentAt = Date.now();
    const later = await client.send('gate.quick', [1], { countdown: 0.4 });
    const past = await client.send('gate.quick', [2], {
      eta: new Date(Date.now() - 60_000),
    });
    expect(await past.get({ timeout: 5 })).toBe(2);
    expect(await later.state()).toBe('PENDING');
    expect(await later.get({ timeout: 5 })).toBe(1);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(400);
    await expect(
      client.send('gate.quick', [3], { countdown: -1 }),
    ).rejects.toThrow(/countdown must not be negative/);
    await app.close();
  });

  it('acks after the task finished by default: a worker that dies mid-task loses nothing', async () => {
    const dying = await memoryApp(
      { providers: [GateTasks] },
      { worker: { concurrency: 1, shutdownTimeout: 0.05 } },
    );
    const gate = dying.app.get(GateTasks);
    const sent = await dying.app.get(TaskClient).send('gate.hold', [1]);
    await waitUntil(() => gate.waiting() === 1, 5000, 'the task to start');
    // Its connection goes away mid-task, as a SIGKILLed worker's does.
    await dying.app.get<Transport>(TRANSPORT).close();
    expect(dying.broker.size('celery')).toBe(1);
    const survivor = await memoryApp(
      { providers: [GateTasks] },
      { broker: `memory://${dying.brokerName}`, worker: true },
    );
    const other = survivor.app.get(GateTasks);
    await waitUntil(() => other.waiting() === 1, 5000, 'the redelivered task');
    other.releaseAll();
    expect(await sent.get({ timeout: 5 })).toBe(1);
    gate.releaseAll();
    await Promise.all([dying.app.close(), survivor.app.close()]);
  });

  it('frees a slot once the task function returns, and the prefetch still bounds what waits to be stored', async () => {
    const { app, broker } = await memoryApp(
      { providers: [GateTasks] },
      { worker: { concurrency: 1, prefetchMultiplier: 3 } },
    );
    const gate = app.get(GateTasks);
    const letStoresGo = holdResultStores(app);
    const client = app.get(TaskClient);
    const sent = await Promise.all(
      Array.from({ length: 10 }, (_, n) => client.send('gate.quick', [n])),
    );
    await waitUntil(() => gate.done.length === 3, 5000, 'three tasks run');
    await sleep(100);
    // One slot, yet three ran: each freed it before its result was stored. The
    // fourth waits, since three unsettled deliveries fill the prefetch.
    expect(gate.done).toEqual([0, 1, 2]);
    expect(broker.size('celery')).toBe(7);
    expect(await sent[0].state()).toBe('PENDING');
    letStoresGo();
    expect(
      await Promise.all(sent.map((result) => result.get({ timeout: 5 }))),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await app.close();
  });
});
