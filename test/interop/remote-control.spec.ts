import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';
import { FleetControl, NodeNameInUseError, Task, TaskClient } from '../../lib';
import { TaskRegistry } from '../../lib/registry/task.registry';
import { CONTROL_BUS } from '../../lib/options/tokens';
import { ControlBus } from '../../lib/transports/control-bus';
import { TaskWorkerService } from '../../lib/worker/task-worker.service';
import { TaskWorker } from '../../lib/worker/task-worker';
import { uniqueName, waitUntil } from '../support/wait';
import { BROKERS, interopBroker } from './support/brokers';
import { CollectingLogger } from '../support/collecting-logger';
import { nestApp } from './support/nest-app';
import { CeleryWorker, celeryCli, celeryRemote } from './support/python';

@Injectable()
class ControlTasks {
  @Task('control.slow')
  async slow(ms: number): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return 'slow';
  }

  @Task('control.quick')
  quick(): string {
    return 'quick';
  }
}

/**
 * The real Celery CLI (`celery inspect`, `celery control`, `celery status`) against a
 * Celeriac worker, and FleetControl against a mixed fleet (a Python and a Nest worker).
 */
describe.each(BROKERS)(
  'interop on $label: remote control of a Celeriac worker',
  (setup) => {
    const broker = interopBroker(setup, 'ctl');
    const queue = broker.queue('ctl');
    const extraQueue = broker.queue('ctl-extra');
    const config = broker.celeryConfig();
    const node = `${uniqueName('nest')}@${hostname()}`;
    const logs = new CollectingLogger();
    let app: TestingModule;
    let worker: TaskWorker;

    const cli = async (...args: string[]) => {
      const result = await celeryCli(config, args);
      return result;
    };
    /** `celery inspect <command> -d <node> --json`, parsed. */
    const inspect = async (...args: string[]) => {
      const result = await celeryRemote(config, 'inspect', node, args);
      expect(result.stderr).not.toMatch(/No nodes replied/);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    };
    /** `celery control <command> -d <node> --json`: its replies, flattened as Celery does. */
    const control = async (...args: string[]) => {
      const result = await celeryRemote(config, 'control', node, args);
      return Object.assign(
        {},
        ...(JSON.parse(result.stdout || '[]') as object[]),
      ) as Record<string, unknown>;
    };

    beforeAll(async () => {
      app = await nestApp(
        broker.nestOptions({
          worker: { queues: [queue], concurrency: 2, nodeName: node },
        }),
        [ControlTasks],
        logs,
      );
      worker = app.get(TaskWorkerService).current!;
    });

    afterAll(() => broker.cleanup());

    it('the worker is the node it was named', () => {
      expect(worker.node).toBe(node);
    });

    it('celery inspect ping and celery status answer for it', async () => {
      expect(await inspect('ping')).toEqual({ [node]: { ok: 'pong' } });
      const status = await cli('status', '-t', '3');
      expect(status.stdout).toContain(`${node}: OK`);
    });

    it("inspect registered, stats and active_queues answer in Celery's shapes", async () => {
      const registered = await inspect('registered');
      expect(registered[node]).toEqual(
        expect.arrayContaining(['control.quick', 'control.slow']),
      );
      // Celery lists its built-in celery.* tasks only with builtins=True.
      expect(registered[node]).not.toContain('celery.backend_cleanup');
      const stats = (await inspect('stats'))[node] as { uptime: unknown };
      expect(stats).toMatchObject({
        pid: process.pid,
        pool: { 'max-concurrency': 2 },
        broker: { transport: setup.broker },
      });
      expect(typeof stats.uptime).toBe('number');
      const queues = (await inspect('active_queues'))[node] as {
        name: string;
      }[];
      expect(queues.map((each) => each.name)).toEqual([queue]);
    });

    it('inspect active lists a slow task while it runs', async () => {
      const client = app.get(TaskClient);
      const result = await client.send('control.slow', [4000], { queue });
      broker.sent.add(result.id);
      await waitUntil(() => worker.running === 1, 10_000);
      const active = (await inspect('active'))[node] as {
        id: string;
        name: string;
        args: unknown[];
        hostname: string;
      }[];
      expect(active).toEqual([
        expect.objectContaining({
          id: result.id,
          name: 'control.slow',
          args: [4000],
          hostname: node,
        }),
      ]);
      await result.get({ timeout: 20 });
    });

    it('control rate_limit and pool_grow take effect', async () => {
      const rate = await control('rate_limit', 'control.quick', '5/m');
      expect(rate).toEqual({
        [node]: { ok: 'new rate limit set successfully' },
      });
      expect(
        app.get(TaskRegistry).get('control.quick')!.policy.rateLimit?.text,
      ).toBe('5/m');
      await control('rate_limit', 'control.quick', '0');
      const grow = await control('pool_grow', '2');
      expect(grow).toEqual({
        [node]: { ok: 'pool will grow' },
      });
      await waitUntil(() => worker.concurrency === 4, 5000);
      expect((await inspect('stats'))[node]).toMatchObject({
        pool: { 'max-concurrency': 4 },
      });
    });

    it('control add_consumer makes it run tasks of another queue; cancel_consumer stops that', async () => {
      const added = await control('add_consumer', extraQueue);
      expect(added).toEqual({
        [node]: { ok: `add consumer ${extraQueue}` },
      });
      await waitUntil(() => worker.queues().includes(extraQueue), 10_000);
      const client = app.get(TaskClient);
      const result = await client.send('control.quick', [], {
        queue: extraQueue,
      });
      broker.sent.add(result.id);
      expect(await result.get({ timeout: 20 })).toBe('quick');
      const queues = (await inspect('active_queues'))[node] as {
        name: string;
      }[];
      expect(queues.map((each) => each.name)).toEqual([queue, extraQueue]);

      const cancelled = await control('cancel_consumer', extraQueue);
      expect(cancelled).toEqual({
        [node]: { ok: `no longer consuming from ${extraQueue}` },
      });
      await waitUntil(() => !worker.queues().includes(extraQueue), 10_000);
    });

    it("an unknown command gets kombu's error reply and a malformed one is logged once, the worker goes on", async () => {
      const fleet = app.get(FleetControl);
      expect(
        await fleet.broadcast('no_such_command', {}, { destination: [node] }),
      ).toEqual({ [node]: { error: "KeyError('no_such_command')" } });
      const bus = app.get<ControlBus>(CONTROL_BUS);
      await bus.broadcastControl({
        method: 'ping',
        arguments: 'not an object',
        destination: null,
        pattern: null,
        matcher: null,
      } as never);
      await waitUntil(
        () => logs.lines.some((line) => line.includes('malformed control')),
        5000,
      );
      expect(
        logs.lines.filter((line) => line.includes('malformed control')),
      ).toEqual([
        'warn: Ignored a malformed control message: "arguments" of "ping" is not an object',
      ]);
      expect(await fleet.ping({ destination: [node] })).toEqual({
        [node]: { ok: 'pong' },
      });
    });

    it('a mixed fleet: celery inspect ping and FleetControl.ping() list the Python and the Nest worker', async () => {
      const python = await CeleryWorker.start({
        name: uniqueName('py'),
        queues: [broker.queue('ctl-py')],
        config,
      });
      const pythonNode = `${python.name}@${hostname()}`;
      const both = await cli('inspect', 'ping', '--json', '-t', '3');
      expect(JSON.parse(both.stdout)).toMatchObject({
        [node]: { ok: 'pong' },
        [pythonNode]: { ok: 'pong' },
      });
      const fleet = await app.get(FleetControl).ping({ timeout: 2 });
      expect(fleet).toMatchObject({
        [node]: { ok: 'pong' },
        [pythonNode]: { ok: 'pong' },
      });
      await python.kill();
    });

    it('two workers never share a node name: a taken nodeName fails the start, default names differ', async () => {
      await expect(
        nestApp(
          broker.nestOptions({
            worker: { queues: [broker.queue('ctl-dup')], nodeName: node },
          }),
          [ControlTasks],
        ),
      ).rejects.toThrow(NodeNameInUseError);
      const first = await nestApp(
        broker.nestOptions({ worker: { queues: [broker.queue('ctl-a')] } }),
        [ControlTasks],
      );
      const second = await nestApp(
        broker.nestOptions({ worker: { queues: [broker.queue('ctl-b')] } }),
        [ControlTasks],
      );
      const names = [first, second].map(
        (each) => each.get(TaskWorkerService).current!.node,
      );
      for (const name of names)
        expect(name).toMatch(
          new RegExp(`^celeriac(\\.${process.pid}(\\.\\d+)?)?@${hostname()}$`),
        );
      expect(new Set(names).size).toBe(2);
      const fleet = await app
        .get(FleetControl)
        .ping({ destination: names, timeout: 3 });
      expect(Object.keys(fleet).sort()).toEqual([...names].sort());
    });

    it('control shutdown stops the worker', async () => {
      await control('shutdown');
      await waitUntil(() => !worker.consuming, 10_000);
    });
  },
);
