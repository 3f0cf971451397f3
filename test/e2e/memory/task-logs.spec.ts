import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  JsonLogEntry,
  JsonLogger,
  Task,
  TaskClient,
  TaskLogger,
  TaskQueueModule,
} from '../../../lib';
import { uniqueName, waitUntil } from '../../support/wait';

@Injectable()
class LoggingTasks {
  constructor(private readonly logger: TaskLogger) {}

  @Task('logs.work')
  async work(n: number): Promise<number> {
    this.logger.log(`working on ${n}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.logger.warn('half way');
    return n;
  }

  @Task({ name: 'logs.fail' })
  fail(): never {
    this.logger.error('about to fail');
    throw new RangeError('out of range');
  }

  outside(): void {
    this.logger.log('not in a task');
  }
}

describe('task logs: every line of a task carries its name and id', () => {
  it('TaskLogger lines and the worker lines of a task, as JSON with taskName and taskId', async () => {
    const lines: JsonLogEntry[] = [];
    const app = await Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot({
          broker: `memory://${uniqueName('logs')}`,
          worker: { concurrency: 4 },
        }),
      ],
      providers: [LoggingTasks],
    }).compile();
    app.useLogger(
      new JsonLogger({
        write: (line) => lines.push(JSON.parse(line) as JsonLogEntry),
      }),
    );
    await app.init();
    try {
      const client = app.get(TaskClient);
      const [a, b, failing] = await Promise.all([
        client.send('logs.work', [1]),
        client.send('logs.work', [2]),
        client.send('logs.fail'),
      ]);
      await Promise.all([a.get({ timeout: 5 }), b.get({ timeout: 5 })]);
      await expect(failing.get({ timeout: 5 })).rejects.toThrow(/out of range/);
      await waitUntil(() =>
        lines.some((l) => l.taskId === failing.id && l.level === 'warn'),
      );
      app.get(LoggingTasks).outside();

      const of = (id: string) =>
        lines.filter((l) => l.taskId === id).map((l) => [l.level, l.message]);
      // Two tasks ran at once: each line is still its own task's.
      expect(of(a.id)).toEqual([
        ['log', 'working on 1'],
        ['warn', 'half way'],
      ]);
      expect(of(b.id)).toEqual([
        ['log', 'working on 2'],
        ['warn', 'half way'],
      ]);
      // The task's own line and the worker's line about its failure.
      expect(of(failing.id)).toEqual([
        ['error', 'about to fail'],
        ['warn', 'failed: RangeError: out of range'],
      ]);
      expect(lines.find((l) => l.taskId === a.id)).toMatchObject({
        taskName: 'logs.work',
        context: `logs.work[${a.id}]`,
      });
      expect(lines.find((l) => l.message === 'not in a task')).toMatchObject({
        context: 'LoggingTasks',
      });
    } finally {
      await app.close();
    }
  });
});
