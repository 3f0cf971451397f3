import { TickBatcher } from '../../../../lib/drivers/redis/tick-batcher';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TickBatcher', () => {
  it('sends what one turn of the event loop added as one call, and settles each add with it', async () => {
    const calls: number[][] = [];
    const batcher = new TickBatcher<number>(async (items) => {
      calls.push(items);
      if (items.includes(13)) throw new Error('refused');
    });
    const first = [1, 2, 3].map((n) => batcher.add(n));
    await Promise.all(first);
    const second = [12, 13].map((n) => batcher.add(n));
    await expect(Promise.all(second)).rejects.toThrow('refused');
    expect(calls).toEqual([
      [1, 2, 3],
      [12, 13],
    ]);
  });

  it('drains the calls made so far, not those added after it began', async () => {
    const batcher = new TickBatcher<number>(() => sleep(10));
    let adding = true;
    const adder = (async () => {
      for (let n = 0; adding; n++) {
        void batcher.add(n);
        await sleep(1);
      }
    })();
    await sleep(20);
    const started = Date.now();
    await batcher.drain();
    // With adds arriving faster than a call is answered, waiting for none in flight
    // would never end; the calls sent before drain() take a few milliseconds.
    expect(Date.now() - started).toBeLessThan(2000);
    adding = false;
    await adder;
    await batcher.drain();
  });
});
