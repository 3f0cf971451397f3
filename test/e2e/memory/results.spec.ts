import { Injectable } from '@nestjs/common';
import {
  Task,
  TaskClient,
  TaskFailedError,
  TaskTimeoutError,
  TaskWorkerService,
} from '../../../lib';
import { memoryApp } from '../../support/memory-app';

class PaymentDeclined extends Error {
  override name = 'PaymentDeclined';
}

@Injectable()
class MathTasks {
  @Task('math.add')
  add(a: number, b: number): number {
    return a + b;
  }

  @Task('math.divide')
  async divide(a: number, b: number): Promise<number> {
    if (b === 0) throw new RangeError('division by zero');
    return a / b;
  }

  @Task('billing.charge')
  charge(): never {
    throw new PaymentDeclined('card 4242 declined');
  }

  @Task('slow.never')
  never(): Promise<never> {
    return new Promise(() => undefined);
  }
}

describe('results on the memory broker', () => {
  it('resolves get() with the value, by name and by reference', async () => {
    const { app } = await memoryApp(
      { providers: [MathTasks] },
      { worker: true },
    );
    const client = app.get(TaskClient);
    const byName = await client.send<number>('math.add', [2, 3]);
    expect(await byName.get({ timeout: 5 })).toBe(5);
    expect(await byName.state()).toBe('SUCCESS');
    expect(await byName.ready()).toBe(true);
    const byRef = await client.task(MathTasks, 'divide').delay(9, 3);
    expect(await byRef.get({ timeout: 5 })).toBe(3);
    await app.close();
  });

  it('extendedResults name the worker by its nodeName; the deprecated workerName still does', async () => {
    for (const [options, worker] of [
      [{ worker: { nodeName: 'adder@%h' } }, 'adder@'],
      [{ worker: true, workerName: 'legacy@box' }, 'legacy@box'],
    ] as const) {
      const { app } = await memoryApp(
        { providers: [MathTasks] },
        { ...options, extendedResults: true },
      );
      const result = await app.get(TaskClient).send('math.add', [1, 1]);
      await result.get({ timeout: 5 });
      const meta = (await result.meta()) as { worker?: string } | null;
      expect(meta?.worker?.startsWith(worker)).toBe(true);
      await app.close();
    }
  });

  it('rejects get() with the task’s error type and message on FAILURE', async () => {
    const { app } = await memoryApp(
      { providers: [MathTasks] },
      { worker: true },
    );
    const client = app.get(TaskClient);
    const result = await client.task(MathTasks, 'charge').delay();
    const error = (await result
      .get({ timeout: 5 })
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.excType).toBe('PaymentDeclined');
    expect(error.excMessage).toBe('card 4242 declined');
    expect(error.taskId).toBe(result.id);
    expect(await result.state()).toBe('FAILURE');
    const meta = await result.meta();
    expect(meta?.traceback).toContain('PaymentDeclined: card 4242 declined');
    const builtin = await client.send('math.divide', [1, 0]);
    await expect(builtin.get({ timeout: 5 })).rejects.toMatchObject({
      excType: 'RangeError',
      excMessage: 'division by zero',
    });
    await app.close();
  });

  it('rejects get() with a timeout error naming the task id', async () => {
    const { app } = await memoryApp(
      { providers: [MathTasks] },
      { worker: { shutdownTimeout: 0.05 } },
    );
    const result = await app.get(TaskClient).send('slow.never');
    const error = (await result
      .get({ timeout: '200ms' })
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(error.message).toContain(result.id);
    await app.close();
  });

  it('reads PENDING for an unknown id, and forget() removes a stored result', async () => {
    const { app } = await memoryApp(
      { providers: [MathTasks] },
      { worker: true },
    );
    const client = app.get(TaskClient);
    expect(await client.result('no-such-task').state()).toBe('PENDING');
    const result = await client.send('math.add', [1, 1]);
    await result.get({ timeout: 5 });
    await result.forget();
    expect(await result.state()).toBe('PENDING');
    await app.close();
  });

  it('does not consume unless told to: an HTTP app only produces', async () => {
    const { app, broker } = await memoryApp({ providers: [MathTasks] });
    expect(app.get(TaskWorkerService).current).toBeNull();
    await app.get(TaskClient).send('math.add', [1, 2]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(broker.size('celery')).toBe(1);
    await app.close();
  });
});
