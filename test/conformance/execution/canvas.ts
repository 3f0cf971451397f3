import { Injectable } from '@nestjs/common';
import {
  AsyncResult,
  ErrbackError,
  ErrbackRequest,
  Task,
  TaskClient,
  TaskFailedError,
  chain,
  chord,
  group,
} from '../../../lib';
import { waitUntil } from '../../support/wait';
import { ExecutionHarness, useExecutionFixture } from './harness';

/** Tasks of the canvas suite; `seen` records what callbacks and errbacks got. */
@Injectable()
class CanvasTasks {
  static seen: unknown[][] = [];
  static flakyRuns = 0;

  /** Fails its first run (retried), then doubles its input. */
  @Task({ name: 'canvas.flaky', maxRetries: 2, retryDelay: '10ms' })
  flaky(value: number): number {
    if (CanvasTasks.flakyRuns++ === 0) throw new Error('first run fails');
    return value * 2;
  }

  @Task('canvas.add')
  add(a: number, b: number): number {
    return a + b;
  }

  @Task('canvas.mul')
  mul(a: number, b: number): number {
    return a * b;
  }

  @Task('canvas.sum')
  sum(numbers: number[]): number {
    return numbers.reduce((total, n) => total + n, 0);
  }

  @Task('canvas.fail')
  fail(value: unknown): never {
    throw new RangeError(`no ${JSON.stringify(value)}`);
  }

  @Task('canvas.record')
  record(...args: unknown[]): string {
    CanvasTasks.seen.push(args);
    return 'recorded';
  }

  /** An old-style errback (one parameter): sent as a task with the failed id. */
  @Task('canvas.failedId')
  failedId(taskId: string): void {
    CanvasTasks.seen.push(['old-style', taskId]);
  }

  /** A new-style errback: called in the worker with (request, exc, traceback), then its partial args. */
  @Task('canvas.onError')
  onError(
    request: ErrbackRequest,
    exc: ErrbackError,
    traceback: string | null,
    label: string,
  ): void {
    CanvasTasks.seen.push([
      label,
      request.id,
      request.task,
      exc.excType,
      exc.excMessage,
      typeof traceback,
    ]);
  }
}

/** Celery's canvas sent from Nest and run by Nest workers: chain, group, chord, links. */
export function describeCanvas(harness: ExecutionHarness): void {
  describe('canvas', () => {
    const fixture = useExecutionFixture(harness);
    let client: TaskClient;

    beforeEach(async () => {
      CanvasTasks.seen = [];
      CanvasTasks.flakyRuns = 0;
      client = fixture().client(await fixture().app([CanvasTasks]));
    });

    const add = (...args: [] | [number] | [number, number]) =>
      client.signature(CanvasTasks, 'add', args);

    it('chain: each step gets the previous result first; the last AsyncResult links its parents and children', async () => {
      const result = await chain(
        add(1, 2),
        add(10),
        client.signature(CanvasTasks, 'mul', [3]),
      ).applyAsync();
      expect(await result.get({ timeout: 10 })).toBe(39);
      const first = result.parent!.parent as AsyncResult;
      expect(await first.get({ timeout: 10 })).toBe(3);
      const children = await first.children();
      expect(children.map((child) => child.id)).toEqual([result.parent!.id]);
      const meta = await result.meta();
      expect(meta?.parent_id).toBe(result.parent!.id);
    });

    it('an immutable step (.si) ignores the previous result', async () => {
      const result = await chain(
        add(1, 2),
        add(5, 5).si(),
        add(1),
      ).applyAsync();
      expect(await result.get({ timeout: 10 })).toBe(11);
    });

    it('group: results in order, ready, completedCount, save and restore', async () => {
      const result = await group(add(1, 1), add(2, 2), add(3, 3)).applyAsync();
      expect(await result.get({ timeout: 10 })).toEqual([2, 4, 6]);
      expect(await result.ready()).toBe(true);
      expect(await result.completedCount()).toBe(3);
      await result.save();
      const restored = await client.restoreGroup(result.id);
      expect(restored?.results.map((member) => member.id)).toEqual(
        result.results.map((member) => member.id),
      );
      expect(await restored?.get({ timeout: 10 })).toEqual([2, 4, 6]);
      await result.delete();
    });

    it('chord: the body gets the header results in order', async () => {
      const result = await chord(
        [add(1, 1), add(2, 2), add(3, 3), add(4, 4)],
        client.signature(CanvasTasks, 'sum'),
      ).applyAsync();
      expect(await result.get({ timeout: 10 })).toBe(20);
    });

    it('nested: a group followed by steps in a chain becomes a chord, and the chain goes on after its body', async () => {
      const result = await chain(
        group(add(1, 1), add(2, 2)),
        client.signature(CanvasTasks, 'sum'),
        client.signature(CanvasTasks, 'mul', [10]),
      ).applyAsync();
      expect(await result.get({ timeout: 10 })).toBe(60);
    });

    it('nested: a chain in a group; the group reads each chain’s last result', async () => {
      const result = await group(
        chain(add(1, 1), add(10)),
        add(5, 5),
        chain(add(2, 2), client.signature(CanvasTasks, 'mul', [3])),
      ).applyAsync();
      expect(await result.get({ timeout: 10 })).toEqual([12, 10, 12]);
    });

    it('nested: a group in a chord header is unrolled (each task counts once), a chain counts by its last step', async () => {
      const result = await chord(
        [
          group(add(1, 1), add(2, 2)),
          chain(add(3, 3), client.signature(CanvasTasks, 'mul', [10])),
          add(4, 4),
        ],
        client.signature<number>('canvas.record'),
      ).applyAsync();
      expect(await result.get({ timeout: 10 })).toBe('recorded');
      expect(CanvasTasks.seen).toEqual([[[2, 4, 60, 8]]]);
    });

    it('nested: a chord in a chain gets the previous result in every header task, and the chain goes on after its body', async () => {
      const result = await chain(
        add(1, 1),
        chord([add(10), add(20)], client.signature(CanvasTasks, 'sum')),
        client.signature(CanvasTasks, 'mul', [2]),
      ).applyAsync();
      expect(await result.get({ timeout: 10 })).toBe(68);
    });

    it('nested: a failing step of a chain in a chord header fails the chord with ChordError', async () => {
      const result = await chord(
        [
          add(1, 1),
          chain(client.signature(CanvasTasks, 'fail', ['x']), add(1)),
        ],
        client.signature(CanvasTasks, 'sum'),
      ).applyAsync();
      await expect(result.get({ timeout: 10 })).rejects.toMatchObject({
        excType: 'ChordError',
      });
    });

    it('a chord in a chord header is refused with a clear CanvasError', async () => {
      const inner = chord([add(1, 1)], client.signature(CanvasTasks, 'sum'));
      await expect(
        chord([inner], client.signature(CanvasTasks, 'sum')).applyAsync(),
      ).rejects.toThrow(/chord in a chord header is not supported/);
    });

    it('link and linkError: a callback gets the result, an old-style errback the failed task id', async () => {
      const record = client.signature<string>('canvas.record');
      const ok = await add(2, 2).link(record).applyAsync();
      const failed = await client
        .signature(CanvasTasks, 'fail', ['x'])
        .linkError(client.signature(CanvasTasks, 'failedId'))
        .applyAsync();
      expect(await ok.get({ timeout: 10 })).toBe(4);
      await expect(failed.get({ timeout: 10 })).rejects.toBeInstanceOf(
        TaskFailedError,
      );
      await waitUntil(() => CanvasTasks.seen.length === 2, 10_000);
      expect(CanvasTasks.seen).toEqual(
        expect.arrayContaining([[4], ['old-style', failed.id]]),
      );
    });

    it("a new-style errback (request, exc, traceback) is called in the worker, as Celery's _call_task_errbacks does", async () => {
      const failed = await client
        .signature(CanvasTasks, 'fail', ['y'])
        .linkError(client.signature<void>('canvas.onError', ['new-style']))
        .applyAsync();
      await expect(failed.get({ timeout: 10 })).rejects.toBeInstanceOf(
        TaskFailedError,
      );
      await waitUntil(() => CanvasTasks.seen.length === 1, 10_000);
      expect(CanvasTasks.seen).toEqual([
        [
          'new-style',
          failed.id,
          'canvas.fail',
          'RangeError',
          'no "y"',
          'string',
        ],
      ]);
    });

    it('a step that retries keeps its place in the chain', async () => {
      const result = await chain(
        add(1, 2),
        client.signature(CanvasTasks, 'flaky'),
        add(1),
      ).applyAsync();
      expect(await result.get({ timeout: 10 })).toBe(7);
      expect(CanvasTasks.flakyRuns).toBe(2);
    });

    it('a failing step stops the chain: the last step reads its FAILURE', async () => {
      const result = await chain(
        add(1, 2),
        client.signature(CanvasTasks, 'fail'),
        add(1),
      ).applyAsync();
      await expect(result.get({ timeout: 10 })).rejects.toMatchObject({
        excType: 'RangeError',
      });
    });

    it("map and starmap (celery.map, celery.starmap): one message, the task called for each item, Celery's partial args ignored", async () => {
      const double = client.signature(CanvasTasks, 'mul', [99]);
      const mapped = await client
        .signature(CanvasTasks, 'sum')
        .map([[1, 2], [3], []])
        .applyAsync();
      const starred = await double
        .starmap([
          [2, 3],
          [4, 5],
        ])
        .applyAsync();
      expect(await mapped.get({ timeout: 10 })).toEqual([3, 3, 0]);
      expect(await starred.get({ timeout: 10 })).toEqual([6, 20]);
      expect((await mapped.meta())?.task_id).toBe(mapped.id);
    });

    it('chunks: parts of n items, each a celery.starmap, as one group of lists', async () => {
      const items: [number, number][] = [1, 2, 3, 4, 5].map((n) => [n, n]);
      const parts = await add().chunks(items, 2).applyAsync();
      expect(parts.results).toHaveLength(3);
      expect(await parts.get({ timeout: 10 })).toEqual([[2, 4], [6, 8], [10]]);
    });

    it('map of a task no worker knows: FAILURE NotRegistered, from celery.exceptions', async () => {
      const result = await client
        .signature<number>('canvas.nobody')
        .map([1])
        .applyAsync();
      await expect(result.get({ timeout: 10 })).rejects.toMatchObject({
        excType: 'NotRegistered',
        excModule: 'celery.exceptions',
      });
    });

    it('a failing header task fails the chord with ChordError naming it', async () => {
      const failing = client.signature(CanvasTasks, 'fail', ['part']);
      const result = await chord(
        [add(1, 1), failing],
        client.signature(CanvasTasks, 'sum'),
      ).applyAsync();
      const error = (await result
        .get({ timeout: 10 })
        .catch((e: unknown) => e)) as TaskFailedError;
      expect(error).toBeInstanceOf(TaskFailedError);
      expect(error.excType).toBe('ChordError');
      const partId = (result.parent as { results: { id: string }[] }).results[1]
        .id;
      expect(error.excMessage).toBe(
        `Dependency ${partId} raised RangeError('no "part"')`,
      );
    });
  });
}
