import Redis from 'ioredis';
import { RedisTransport } from '../../../lib/transports/redis';
import { Delivery } from '../../../lib/transports/transport';
import { RedisKeys } from '../../../lib/transports/redis';
import { argOf, taskMessage as message } from '../../support/task-messages';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import {
  REDIS_URL,
  deletePrefix,
  quietLogger,
  uniquePrefix,
} from './redis-test-support';

/**
 * How the Redis consumer decides when to fetch: woken by publishers (never waiting for
 * its idle poll, which these tests set to a minute), and counting a delivery against
 * the prefetch only until its task has run.
 */
describe('redis consumer: wake-ups and prefetch places', () => {
  const keyPrefix = uniquePrefix('flow');
  const admin = new Redis(REDIS_URL);
  const transports: RedisTransport[] = [];
  /** Far longer than any wait below: a delivery that came by polling fails the test. */
  const idlePollMs = 60_000;

  const open = () => {
    const transport = RedisTransport.fromUrl(REDIS_URL, {
      keyPrefix,
      idlePollMs,
      logger: quietLogger(),
    });
    transports.push(transport);
    return transport;
  };
  const collect = (into: Delivery[]) => (delivery: Delivery) =>
    into.push(delivery);
  // The argument is read on delivery: a settled delivery lets go of its message.
  const collectArgs =
    (into: Delivery[], args: unknown[]) => (delivery: Delivery) => {
      into.push(delivery);
      args.push(argOf(delivery));
    };

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
    await deletePrefix(admin, keyPrefix);
  });
  afterAll(() => admin.quit());

  it('wakes an idle consumer on the publish that finds the queue empty, each time', async () => {
    const producer = open();
    const consumer = open();
    const queue = uniqueName('flow-wake');
    const got: Delivery[] = [];
    const args: unknown[] = [];
    await consumer.consume([queue], collectArgs(got, args), { prefetch: 10 });
    await sleep(100); // idle now, blocked on the wake marker
    // Round 1 sets the marker after the LPUSH reply; later rounds, whose last push
    // found the list empty, send it with the LPUSH.
    for (let round = 1; round <= 3; round++) {
      await producer.publish(queue, message('tests.n', [round]));
      await waitUntil(() => got.length === round, 2000, `delivery ${round}`);
      await got[round - 1].ack();
      await sleep(50); // idle again
    }
    expect(args).toEqual([1, 2, 3]);
  });

  it('fetches what a publish pushed behind a waiting message without its own wake-up', async () => {
    const producer = open();
    const consumer = open();
    const queue = uniqueName('flow-behind');
    const keys = new RedisKeys(keyPrefix);
    // Only the first publish finds the list empty; the others are pushed behind it.
    for (let i = 1; i <= 5; i++)
      await producer.publish(queue, message('tests.n', [i]));
    expect(await admin.llen(keys.list(queue))).toBe(5);
    // From here on no publisher sets the marker: whatever sets it is the fetch.
    await admin.del(keys.wake(queue));
    const got: Delivery[] = [];
    const args: unknown[] = [];
    // Prefetch 1: the consumer fetches again as long as its fetches come back full.
    await consumer.consume([queue], collectArgs(got, args), { prefetch: 1 });
    await waitUntil(() => got.length === 1, 2000, 'delivery 1');
    // A full fetch that left messages behind set the marker for other idle consumers.
    expect(await admin.zscore(keys.wake(queue), '1')).not.toBeNull();
    await got[0].ack();
    for (let i = 2; i <= 5; i++) {
      await waitUntil(() => got.length === i, 2000, `delivery ${i}`);
      await got[i - 1].ack();
    }
    expect(args).toEqual([1, 2, 3, 4, 5]);
  });

  it('wakes a second idle consumer when the first takes a full batch and leaves some', async () => {
    const producer = open();
    const first = open();
    const second = open();
    const queue = uniqueName('flow-two');
    const byFirst: Delivery[] = [];
    const bySecond: Delivery[] = [];
    await first.consume([queue], collect(byFirst), { prefetch: 1 });
    await second.consume([queue], collect(bySecond), { prefetch: 1 });
    await sleep(100); // both idle
    await Promise.all([
      producer.publish(queue, message('tests.n', [1])),
      producer.publish(queue, message('tests.n', [2])),
    ]);
    await waitUntil(
      () => byFirst.length + bySecond.length === 2,
      2000,
      'one delivery for each idle consumer',
    );
    expect(byFirst).toHaveLength(1);
    expect(bySecond).toHaveLength(1);
  });

  it('frees a place once the task has run, before it settles, within a budget of the prefetch', async () => {
    const producer = open();
    const consumer = open();
    const queue = uniqueName('flow-places');
    for (let i = 1; i <= 6; i++)
      await producer.publish(queue, message('tests.n', [i]));
    const got: Delivery[] = [];
    await consumer.consume([queue], collect(got), { prefetch: 2 });
    await waitUntil(() => got.length === 2, 2000, 'the first two');
    await sleep(100);
    expect(got).toHaveLength(2);

    // Both ran, neither is settled: two more come in their places.
    got[0].doneRunning!();
    got[1].doneRunning!();
    await waitUntil(() => got.length === 4, 2000, 'two more in freed places');
    await sleep(100);
    expect(got).toHaveLength(4);

    // Two deliveries wait to settle, as many as the prefetch: the next two that run
    // keep their places until they settle.
    got[2].doneRunning!();
    got[3].doneRunning!();
    await sleep(200);
    expect(got).toHaveLength(4);

    // Settling an early-freed delivery makes room in the budget, not a new place…
    await got[0].ack();
    await sleep(200);
    expect(got).toHaveLength(4);
    // …settling one that kept its place frees that place.
    await got[2].ack();
    await waitUntil(() => got.length === 5, 2000, 'a fifth after a settle');
    await sleep(100);
    expect(got).toHaveLength(5);
    // The room got[0] made in the budget lets got[3], refused before, free its place.
    got[3].doneRunning!();
    await waitUntil(() => got.length === 6, 2000, 'a sixth in the budget');
    await Promise.all(got.map((delivery) => delivery.ack()));
  });
});
