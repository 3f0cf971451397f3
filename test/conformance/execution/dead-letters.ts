import { Injectable } from '@nestjs/common';
import {
  DeadLetters,
  InvalidTaskOptionError,
  Task,
  TaskContext,
} from '../../../lib';
import { waitUntil } from '../../support/wait';
import { ExecutionHarness, describeIf, useExecutionFixture } from './harness';

/** A task that fails until its dependency is fixed. */
@Injectable()
class ImportTasks {
  fixed = false;
  runs: number[] = [];

  constructor(private readonly taskContext: TaskContext) {}

  @Task({
    name: 'imports.run',
    deadLetter: true,
    maxRetries: 1,
    retryDelay: '10ms',
  })
  run(file: string): string {
    this.runs.push(this.taskContext.current.retries);
    if (!this.fixed) throw new Error(`cannot parse ${file}`);
    return `imported ${file}`;
  }

  @Task({ name: 'imports.plain' })
  plain(): never {
    throw new Error('not dead-lettered');
  }

  @Task({ name: 'imports.ok' })
  ok(): string {
    return 'fine';
  }
}

export function describeDeadLetters(harness: ExecutionHarness): void {
  describeIf(harness, 'dead-letters', 'dead letters', () => {
    const fixture = useExecutionFixture(harness);

    it('routes a final failure to the dead letters when the task opts in, and replays it', async () => {
      const app = await fixture().app([ImportTasks]);
      const client = fixture().client(app);
      const deadLetters = app.get(DeadLetters);
      const queue = fixture().queue;
      const result = await client.send('imports.run', ['a.csv']);
      await expect(result.get({ timeout: 10 })).rejects.toMatchObject({
        excMessage: 'cannot parse a.csv',
      });
      await expect(
        (await client.send('imports.plain')).get({ timeout: 10 }),
      ).rejects.toThrow();
      await waitUntil(
        async () => (await deadLetters.list(queue)).length === 1,
        10_000,
        'the dead letter',
      );
      const [letter] = await deadLetters.list(queue);
      expect(letter.queue).toBe(queue);
      expect(letter.reason).toBe(
        'failed after 1 retries: Error: cannot parse a.csv',
      );
      expect(letter.message?.headers).toMatchObject({
        id: result.id,
        task: 'imports.run',
        retries: 1,
      });

      app.get(ImportTasks).fixed = true;
      expect(await deadLetters.replay(queue)).toBe(1);
      await waitUntil(
        async () => (await result.state()) === 'SUCCESS',
        10_000,
        'the replayed task',
      );
      expect(await result.get()).toBe('imported a.csv');
      expect(await deadLetters.list(queue)).toEqual([]);
      expect(app.get(ImportTasks).runs).toEqual([0, 1, 1]);
    });

    it('dead-letters module-wide with taskDefaults, and acks what succeeds', async () => {
      const app = await fixture().app([ImportTasks], {
        taskDefaults: { deadLetter: true },
      });
      const client = fixture().client(app);
      expect(await (await client.send('imports.ok')).get({ timeout: 10 })).toBe(
        'fine',
      );
      await expect(
        (await client.send('imports.plain')).get({ timeout: 10 }),
      ).rejects.toThrow();
      const deadLetters = app.get(DeadLetters);
      await waitUntil(
        async () => (await deadLetters.list(fixture().queue)).length === 1,
        10_000,
        'the dead letter',
      );
      expect((await deadLetters.list(fixture().queue))[0].reason).toBe(
        'failed: Error: not dead-lettered',
      );
    });
    it('counts, lists oldest first, drops and replays through one DeadLetterAccess', async () => {
      const app = await fixture().app([ImportTasks], {
        taskDefaults: { deadLetter: true },
      });
      const client = fixture().client(app);
      const deadLetters = app.get(DeadLetters);
      const queue = fixture().queue;
      const sent: string[] = [];
      for (let i = 0; i < 3; i++) {
        const result = await client.send('imports.plain');
        await expect(result.get({ timeout: 10 })).rejects.toThrow();
        sent.push(result.id);
        // One at a time, so the box's order is the sending order.
        await waitUntil(
          async () => (await deadLetters.count(queue)) === i + 1,
          10_000,
          `dead letter ${i + 1}`,
        );
      }
      const listed = await deadLetters.list(queue);
      expect(listed.map((letter) => letter.message?.headers.id)).toEqual(sent);
      // As the broker keeps it: Redis and memory the whole envelope, AMQP the body.
      expect(listed[0].raw.length).toBeGreaterThan(10);
      expect(await deadLetters.count(queue)).toBe(3); // listing leaves them

      expect(await deadLetters.drop(queue, 1)).toBe(1);
      expect(
        (await deadLetters.list(queue)).map((l) => l.message?.headers.id),
      ).toEqual(sent.slice(1));
      expect(await deadLetters.count(queue)).toBe(2);

      expect(await deadLetters.replay(queue, 1)).toBe(1);
      // The replayed one fails again and comes back, last.
      await waitUntil(
        async () =>
          (await deadLetters.list(queue))
            .map((l) => l.message?.headers.id)
            .join() === [sent[2], sent[1]].join(),
        10_000,
        'the replayed letter back in the box',
      );

      expect(await deadLetters.drop(queue)).toBe(2);
      expect(await deadLetters.count(queue)).toBe(0);
      expect(await deadLetters.list(queue)).toEqual([]);
      expect(await deadLetters.drop(queue)).toBe(0);
    });
  });

  describe('bad input', () => {
    const fixture = useExecutionFixture(harness);

    it('fails the bootstrap on an option that does not parse, naming the task and the value', async () => {
      @Injectable()
      class BadRate {
        @Task({ name: 'bad.rate', rateLimit: '10/fortnight' })
        run(): void {}
      }
      @Injectable()
      class BadRetry {
        @Task({ name: 'bad.retry', maxRetries: -2 })
        run(): void {}
      }
      await expect(fixture().app([BadRate])).rejects.toThrow(
        /task "bad.rate": rateLimit "10\/fortnight" is not valid/,
      );
      await expect(fixture().app([BadRetry])).rejects.toThrow(
        InvalidTaskOptionError,
      );
      await expect(
        fixture().app([ImportTasks], { taskDefaults: { retryBackoff: -1 } }),
      ).rejects.toThrow(/task "imports\.\w+": retryBackoff -1 is not valid/);
    });

    it('refuses a call option that does not parse before sending anything', async () => {
      const app = await fixture().app([ImportTasks], { worker: false });
      const client = fixture().client(app);
      await expect(
        client.send('imports.ok', [], { timeLimit: -1 }),
      ).rejects.toThrow(/call of task "imports.ok": timeLimit -1 is not valid/);
      await expect(
        client.send('imports.ok', [], { maxRetries: 'many' as never }),
      ).rejects.toThrow(/maxRetries "many"/);
    });
  });
}
