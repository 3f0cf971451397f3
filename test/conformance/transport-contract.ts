import { toCeleryIso } from '../../lib/protocol';
import {
  Delivery,
  Transport,
  hasConnectionState,
  hasQueueInspection,
  hasQueuePurge,
} from '../../lib/transports/transport';
import { argOf, taskMessage as message } from '../support/task-messages';
import { keepAliveResources } from '../support/keep-alive';
import { sleep, uniqueName, waitUntil } from '../support/wait';

/**
 * What every transport must do, written once and run against each broker
 * (kombu's shared transport suites). A broker file calls this with a factory.
 */
export interface TransportHarness {
  /** A new, connected transport (a test may make several: producer, consumers). */
  create(): Promise<Transport>;
  /** Deletes everything the broker keeps for these queues. */
  cleanup(queues: string[]): Promise<void>;
  /** How long a dead consumer's deliveries take to come back (lease), in ms. */
  redeliveryAfterMs: number;
  /**
   * Which priority runs first, as Celery has it on each broker: 0 on Redis and memory
   * (the default), 9 on RabbitMQ (`x-max-priority`).
   */
  priorityOrder?: 'lowest-first' | 'highest-first';
  /**
   * Where a message with a future eta waits: in the broker's delay store until due
   * (the default), or on the queue, delivered at once with `holdForEta` for the
   * worker to hold (Redis without the delay store, Celery's way).
   */
  etaWaits?: 'broker' | 'queue';
}

export { taskMessage as message } from '../support/task-messages';

export function describeTransportContract(
  label: string,
  harness: TransportHarness,
): void {
  describe(`${label} transport contract`, () => {
    const transports: Transport[] = [];
    const queues: string[] = [];
    const open = async () => {
      const transport = await harness.create();
      transports.push(transport);
      return transport;
    };
    const queue = () => {
      const name = uniqueName('contract');
      queues.push(name);
      return name;
    };
    const collect = (into: Delivery[]) => (delivery: Delivery) =>
      into.push(delivery);

    afterEach(async () => {
      await Promise.all(
        transports.splice(0).map((transport) => transport.close()),
      );
      await harness.cleanup(queues.splice(0));
    });

    it('delivers a published message intact', async () => {
      const transport = await open();
      const q = queue();
      const sent = message('tests.add', [2, 3]);
      await transport.publish(q, sent);
      const got: Delivery[] = [];
      await transport.consume([q], collect(got), { prefetch: 1 });
      await waitUntil(() => got.length === 1, 5000, 'the delivery');
      expect(got[0].queue).toBe(q);
      expect(got[0].redelivered).toBe(false);
      expect(got[0].message?.headers).toEqual(sent.headers);
      expect(got[0].message?.properties).toMatchObject(sent.properties);
      expect(got[0].message?.body).toBe(sent.body);
      await got[0].ack();
    });

    it('lets go of a delivery’s message once it is settled', async () => {
      const transport = await open();
      const q = queue();
      await transport.publish(q, message('tests.settled'));
      const got: Delivery[] = [];
      await transport.consume([q], collect(got), { prefetch: 1 });
      await waitUntil(() => got.length === 1, 5000, 'the delivery');
      expect(got[0].message?.headers.task).toBe('tests.settled');
      await got[0].ack();
      // Nothing reads it after settling; holding it would let a stale reference from
      // the old generation keep it alive (docs/architecture.md).
      expect(got[0].message).toBeUndefined();
    });

    it('keeps order within a queue and runs the most urgent priority first', async () => {
      const transport = await open();
      const q = queue();
      // Written for "0 runs first"; mirrored where 9 runs first.
      const urgency = (priority: number) =>
        harness.priorityOrder === 'highest-first' ? 9 - priority : priority;
      for (const [n, priority] of [
        [1, 9],
        [2, 9],
        [3, 0],
        [4, 6],
      ] as const) {
        await transport.publish(q, message('tests.n', [n], urgency(priority)));
      }
      const got: Delivery[] = [];
      await transport.consume([q], collect(got), { prefetch: 1 });
      const order: unknown[] = [];
      while (order.length < 4) {
        await waitUntil(
          () => got.length > order.length,
          5000,
          'the next delivery',
        );
        const delivery = got[order.length];
        order.push(argOf(delivery));
        await delivery.ack();
      }
      expect(order).toEqual([3, 4, 1, 2]);
    });

    it('never has more than prefetch deliveries outstanding', async () => {
      const transport = await open();
      const q = queue();
      for (let i = 0; i < 10; i++)
        await transport.publish(q, message('tests.n', [i]));
      const got: Delivery[] = [];
      await transport.consume([q], collect(got), { prefetch: 3 });
      await waitUntil(() => got.length === 3, 5000, 'three deliveries');
      await sleep(200);
      expect(got.length).toBe(3);
      await got[0].ack();
      await waitUntil(
        () => got.length === 4,
        5000,
        'a fourth delivery after an ack',
      );
      await sleep(100);
      expect(got.length).toBe(4);
      for (let acked = 1; acked < 10; acked++) {
        await waitUntil(
          () => got.length > acked,
          5000,
          `delivery ${acked + 1}`,
        );
        expect(got.length - acked).toBeLessThanOrEqual(3);
        await got[acked].ack();
      }
    });

    it('takes several queues in turn (round-robin)', async () => {
      const transport = await open();
      const a = queue();
      const b = queue();
      for (let i = 0; i < 100; i++)
        await transport.publish(a, message('tests.a', [i]));
      for (let i = 0; i < 100; i++)
        await transport.publish(b, message('tests.b', [i]));
      const got: Delivery[] = [];
      await transport.consume([a, b], collect(got), { prefetch: 1 });
      const first: string[] = [];
      while (first.length < 20) {
        await waitUntil(
          () => got.length > first.length,
          5000,
          'the next delivery',
        );
        const delivery = got[first.length];
        first.push(delivery.queue);
        await delivery.ack();
      }
      const fromA = first.filter((name) => name === a).length;
      expect(fromA).toBeGreaterThanOrEqual(8);
      expect(fromA).toBeLessThanOrEqual(12);
    });

    it('redelivers a requeued message, marked redelivered', async () => {
      const transport = await open();
      const q = queue();
      const sent = message('tests.requeue');
      await transport.publish(q, sent);
      const got: Delivery[] = [];
      await transport.consume([q], collect(got), { prefetch: 1 });
      await waitUntil(() => got.length === 1, 5000, 'the delivery');
      await got[0].requeue();
      await waitUntil(() => got.length === 2, 5000, 'the redelivery');
      expect(got[1].message?.headers.id).toBe(sent.headers.id);
      expect(got[1].redelivered).toBe(true);
      await got[1].ack();
    });

    it('gives a dead consumer’s unsettled deliveries to another consumer', async () => {
      const producer = await open();
      const dying = await open();
      const q = queue();
      const sent = message('tests.orphan');
      await producer.publish(q, sent);
      const got: Delivery[] = [];
      await dying.consume([q], collect(got), { prefetch: 1 });
      await waitUntil(() => got.length === 1, 5000, 'the first delivery');
      await dying.close();
      const survivor = await open();
      const again: Delivery[] = [];
      await survivor.consume([q], collect(again), { prefetch: 1 });
      await waitUntil(
        () => again.length === 1,
        harness.redeliveryAfterMs + 10000,
        'redelivery',
      );
      expect(again[0].message?.headers.id).toBe(sent.headers.id);
      expect(again[0].redelivered).toBe(true);
      await again[0].ack();
    });

    if ((harness.etaWaits ?? 'broker') === 'broker') {
      it('holds a message with a future eta until it is due', async () => {
        const transport = await open();
        const q = queue();
        const sent = message('tests.later');
        const due = new Date(Date.now() + 600);
        sent.headers.eta = toCeleryIso(due);
        await transport.publish(q, sent);
        const got: Delivery[] = [];
        await transport.consume([q], collect(got), { prefetch: 1 });
        await sleep(300);
        expect(got.length).toBe(0);
        await waitUntil(() => got.length === 1, 5000, 'the due message');
        expect(Date.now()).toBeGreaterThanOrEqual(due.getTime() - 5);
        await got[0].ack();
      });
    } else {
      it('puts a message with a future eta on the queue, for the consumer to hold (holdForEta) outside its prefetch', async () => {
        const transport = await open();
        const q = queue();
        const later = message('tests.later');
        later.headers.eta = toCeleryIso(new Date(Date.now() + 60_000));
        await transport.publish(q, later);
        await transport.publish(q, message('tests.now'));
        const got: Delivery[] = [];
        await transport.consume([q], collect(got), { prefetch: 1 });
        await waitUntil(() => got.length === 1, 5000, 'the eta message');
        expect(got[0].message?.headers.eta).toBe(later.headers.eta);
        expect(typeof got[0].holdForEta).toBe('function');
        // Held for its eta, it no longer fills the prefetch of 1: the next one comes.
        await sleep(300);
        expect(got.length).toBe(1);
        got[0].holdForEta!();
        await waitUntil(() => got.length === 2, 5000, 'the next message');
        expect(got[1].message?.headers.task).toBe('tests.now');
        await got[1].ack();
        await got[0].ack();
      });
    }

    it('defers a delivery to the delay store', async () => {
      const transport = await open();
      const q = queue();
      await transport.publish(q, message('tests.defer'));
      const got: Delivery[] = [];
      await transport.consume([q], collect(got), { prefetch: 1 });
      await waitUntil(() => got.length === 1, 5000, 'the delivery');
      const until = new Date(Date.now() + 500);
      await got[0].defer(until);
      await waitUntil(() => got.length === 2, 5000, 'the deferred message');
      expect(Date.now()).toBeGreaterThanOrEqual(until.getTime() - 5);
      await got[1].ack();
    });

    it('dead-letters a delivery so it is not delivered again', async () => {
      const transport = await open();
      const q = queue();
      await transport.publish(q, message('tests.bad'));
      await transport.publish(q, message('tests.good'));
      const got: Delivery[] = [];
      await transport.consume([q], collect(got), { prefetch: 1 });
      await waitUntil(() => got.length === 1, 5000, 'the first delivery');
      await got[0].deadLetter('cannot be decoded (test)');
      await waitUntil(() => got.length === 2, 5000, 'the next delivery');
      expect(got[1].message?.headers.task).toBe('tests.good');
      await got[1].ack();
      // Longer than a lapsed lease takes to come back (Redis): a dead letter left
      // unsettled on the broker would be redelivered within this wait.
      await sleep(harness.redeliveryAfterMs + 1000);
      expect(got.length).toBe(2);
    });

    it('counts what waits in a queue (QueueInspection), by priority where the broker keeps them apart', async () => {
      const transport = await open();
      if (!hasQueueInspection(transport))
        throw new Error(`${label}: the transport has no queueDepth()`);
      const q = queue();
      expect(await transport.queueDepth(q)).toMatchObject({
        queue: q,
        ready: 0,
      });
      for (let i = 0; i < 3; i++)
        await transport.publish(q, message('tests.n', [i], 0));
      for (let i = 0; i < 2; i++)
        await transport.publish(q, message('tests.n', [i], 9));
      const later = message('tests.later');
      later.headers.eta = toCeleryIso(new Date(Date.now() + 60_000));
      await transport.publish(q, later);
      const depth = await transport.queueDepth(q);
      // An eta message waiting on the queue counts as ready there (its consumer holds it).
      const etaReady = harness.etaWaits === 'queue' ? 1 : 0;
      expect(depth.ready).toBe(5 + etaReady);
      if (depth.byPriority) {
        expect(depth.byPriority[0]).toBe(3 + etaReady);
        expect(depth.byPriority[9]).toBe(2);
        const total = Object.values(depth.byPriority).reduce((a, b) => a + b);
        expect(total).toBe(5 + etaReady);
      }
      if (depth.delayed !== undefined) expect(depth.delayed).toBe(1 - etaReady);
      // Taken by a consumer: no longer waiting.
      const got: Delivery[] = [];
      await transport.consume([q], collect(got), { prefetch: 1 });
      await waitUntil(() => got.length === 1, 5000, 'one delivery');
      await waitUntil(
        async () => (await transport.queueDepth(q)).ready === 4 + etaReady,
        5000,
        'the depth after one delivery',
      );
      await got[0].ack();
    });

    it('empties a queue and says how many went (QueuePurge), leaving a held delivery alone', async () => {
      const transport = await open();
      if (!hasQueuePurge(transport))
        throw new Error(`${label}: the transport has no purgeQueue()`);
      const q = queue();
      expect(await transport.purgeQueue(q)).toBe(0);
      for (let i = 0; i < 4; i++)
        await transport.publish(q, message('tests.n', [i], i % 2 ? 9 : 0));
      const got: Delivery[] = [];
      await transport.consume([q], collect(got), { prefetch: 1 });
      await waitUntil(() => got.length === 1, 5000, 'one delivery');
      expect(await transport.purgeQueue(q)).toBe(3);
      expect(await transport.purgeQueue(q)).toBe(0);
      // The held delivery settles as usual, and the queue takes new messages.
      await got[0].ack();
      await transport.publish(q, message('tests.after'));
      await waitUntil(() => got.length === 2, 5000, 'the message sent after');
      expect(got[1].message?.headers.task).toBe('tests.after');
      await got[1].ack();
    });

    it('tells whether it is connected (ConnectionState)', async () => {
      const transport = await open();
      if (!hasConnectionState(transport))
        throw new Error(`${label}: the transport has no connection state`);
      await transport.publish(queue(), message('tests.connect'));
      expect(transport.connected).toBe(true);
      const remove = transport.onReconnect(() => undefined);
      expect(typeof remove).toBe('function');
      remove();
      await transport.close();
      expect(transport.connected).toBe(false);
    });

    it('leaves no timer or socket that keeps the process alive once closed', async () => {
      const before = keepAliveResources();
      const transport = await open();
      const q = queue();
      await transport.publish(q, message('tests.close'));
      const got: Delivery[] = [];
      await transport.consume([q], collect(got), { prefetch: 1 });
      await waitUntil(() => got.length === 1, 5000, 'the delivery');
      await got[0].ack();
      await transport.close();
      // Its sockets take a moment to close; timers left behind held Jest's process for
      // 1 to 2 s ("Jest did not exit one second after the test run has completed").
      await waitUntil(
        () => keepAliveResources() <= before,
        500,
        'the sockets and timers to go',
      );
    });

    it('stops delivering after stop()', async () => {
      const transport = await open();
      const q = queue();
      const got: Delivery[] = [];
      const consumer = await transport.consume([q], collect(got), {
        prefetch: 5,
      });
      await consumer.stop();
      const sent = message('tests.after-stop');
      await transport.publish(q, sent);
      await sleep(300);
      expect(got.length).toBe(0);
      // The message was there to be had: a new consumer gets it, the stopped one never.
      const again: Delivery[] = [];
      await transport.consume([q], collect(again), { prefetch: 1 });
      await waitUntil(() => again.length === 1, 5000, 'the message');
      expect(again[0].message?.headers.id).toBe(sent.headers.id);
      await again[0].ack();
      expect(got.length).toBe(0);
    });
  });
}
