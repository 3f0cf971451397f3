import { Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { Task, TaskClient, TaskFailedError } from '../../../lib';
import {
  TaskQueueTester,
  TaskQueueTestingModule,
  TaskQueueTestingOptions,
} from '../../../lib/testing';

/** A user's tasks, as a user's app would have them: one sends another, one has a queue. */
@Injectable()
class ShopTasks {
  readonly shipped: string[] = [];
  readonly mailed: string[] = [];
  release: (() => void) | undefined;

  constructor(private readonly tasks: TaskClient) {}

  @Task('shop.checkout')
  async checkout(orderId: string): Promise<string> {
    await this.tasks.task(ShopTasks, 'ship').delay(orderId);
    return `order ${orderId} paid`;
  }

  @Task({ name: 'shop.ship', queue: 'shipping' })
  async ship(orderId: string): Promise<void> {
    // Slow enough that a drain() which did not wait for running tasks returns first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    this.shipped.push(orderId);
    void this.tasks.task(ShopTasks, 'mail').delay(orderId);
  }

  @Task('shop.mail')
  mail(orderId: string): void {
    this.mailed.push(orderId);
  }

  @Task('shop.stuck')
  stuck(): Promise<void> {
    return new Promise((resolve) => (this.release = resolve));
  }

  @Task('shop.refuse')
  refuse(): never {
    throw new Error('card declined');
  }
}

@Module({ providers: [ShopTasks] })
class ShopModule {}

const open: TestingModule[] = [];

async function shopApp(options?: TaskQueueTestingOptions) {
  const app = await Test.createTestingModule({
    imports: [TaskQueueTestingModule.forRoot(options), ShopModule],
  }).compile();
  open.push(app);
  await app.init();
  return {
    client: app.get(TaskClient),
    tester: app.get(TaskQueueTester),
    shop: app.get(ShopTasks),
  };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

describe('celeriac/testing', () => {
  it('runs what was sent on every queue tasks use, and drain() waits for the tasks they send', async () => {
    const { client, tester, shop } = await shopApp();
    const result = await client.task(ShopTasks, 'checkout').delay('o-1');
    await tester.drain();
    // shop.ship lives on `shipping`, and shop.mail was sent by it: all done by now.
    expect(shop.shipped).toEqual(['o-1']);
    expect(shop.mailed).toEqual(['o-1']);
    expect(await result.get({ timeout: 1 })).toBe('order o-1 paid');
    expect(tester.waiting('celery') + tester.waiting('shipping')).toBe(0);
  });

  it('with worker: false, tasks wait until drain() runs them', async () => {
    const { client, tester, shop } = await shopApp({ worker: false });
    await client.task(ShopTasks, 'ship').delay('o-2');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(shop.shipped).toEqual([]);
    expect(tester.waiting('shipping')).toBe(1);

    await tester.drain();
    expect(shop.shipped).toEqual(['o-2']);
    expect(shop.mailed).toEqual(['o-2']);
  });

  it('gives every module a broker of its own', async () => {
    const first = await shopApp({ worker: false });
    const second = await shopApp({ worker: false });
    expect(first.tester.brokerUrl).not.toBe(second.tester.brokerUrl);

    await first.client.task(ShopTasks, 'mail').delay('o-3');
    expect(first.tester.waiting('celery')).toBe(1);
    expect(second.tester.waiting('celery')).toBe(0);
    await second.tester.drain();
    expect(second.shop.mailed).toEqual([]);
    await first.tester.drain();
    expect(first.shop.mailed).toEqual(['o-3']);
  });

  it('runs tasks inline with eager: true', async () => {
    const { client, shop } = await shopApp({ eager: true });
    const result = await client.task(ShopTasks, 'checkout').delay('o-4');
    expect(await result.get({ timeout: 1 })).toBe('order o-4 paid');
    expect(shop.shipped).toEqual(['o-4']);
    await expect(
      (await client.task(ShopTasks, 'refuse').delay()).get({ timeout: 1 }),
    ).rejects.toBeInstanceOf(TaskFailedError);
  });

  it('drain() gives up after its timeout and says what is left', async () => {
    const { client, tester, shop } = await shopApp();
    await client.task(ShopTasks, 'stuck').delay();
    await expect(tester.drain({ timeout: '100ms' })).rejects.toThrow(
      /not done after 100 ms \(celery: 0 waiting, shipping: 0 waiting; 1 running\)/,
    );
    shop.release?.();
    await tester.drain();
  });
});
