import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { Task, TaskClient } from '../../lib';
import { waitUntil } from '../support/wait';
import { BROKERS_AND_BACKENDS, interopBroker } from './support/brokers';
import { nestApp } from './support/nest-app';

@Injectable()
class StartedTasks {
  @Task('started.slow')
  async slow(ms: number): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return 'done';
  }

  @Task({ name: 'started.untracked', trackStarted: false })
  async untracked(ms: number): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return 'done';
  }
}

/**
 * trackStarted (Celery's task_track_started): the worker stores STARTED with its pid
 * and node name before the task runs, in Celery's result format, on the Redis backend
 * (`celery-task-meta-<id>`) and on rpc:// (a reply to the sender's queue).
 */
describe.each(BROKERS_AND_BACKENDS)(
  'interop on $label: STARTED with trackStarted',
  (setup) => {
    const broker = interopBroker(setup, 'started');
    const queue = broker.queue('started');
    const node = `started-${process.pid}@${hostname()}`;

    afterAll(() => broker.cleanup());

    it('a running task reads STARTED with {pid, hostname}, then SUCCESS', async () => {
      const app = await nestApp(
        broker.nestOptions({
          trackStarted: true,
          worker: { queues: [queue], nodeName: node },
        }),
        [StartedTasks],
      );
      const client = app.get(TaskClient);
      const result = await client.send('started.slow', [1500], { queue });
      broker.sent.add(result.id);
      await waitUntil(async () => (await result.state()) === 'STARTED', 5000);
      expect((await result.meta())?.result).toEqual({
        pid: process.pid,
        hostname: node,
      });
      expect(await result.get({ timeout: 10 })).toBe('done');
      expect(await result.state()).toBe('SUCCESS');

      const untracked = await client.send('started.untracked', [800], {
        queue,
      });
      broker.sent.add(untracked.id);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await untracked.state()).toBe('PENDING');
      expect(await untracked.get({ timeout: 10 })).toBe('done');
    });
  },
);
