import { settledWithin } from '../../../lib/common/settled-within';
import { keepAliveResources } from '../../support/keep-alive';

describe('settledWithin', () => {
  it('is true once the promise settles in time, resolved or rejected', async () => {
    await expect(settledWithin(Promise.resolve(1), 1000)).resolves.toBe(true);
    await expect(
      settledWithin(Promise.reject(new Error('no')), 1000),
    ).resolves.toBe(true);
  });

  it('is false after ms when the promise never settles, and leaves no timer', async () => {
    // At most as many as before: another test's timer may end meanwhile (a full run).
    const before = keepAliveResources();
    const started = Date.now();
    const waiting = settledWithin(new Promise(() => undefined), 50);
    expect(keepAliveResources()).toBe(before + 1); // its timer, seen
    await expect(waiting).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(keepAliveResources()).toBeLessThanOrEqual(before);
  });

  it('clears its timer when the promise wins', async () => {
    const before = keepAliveResources();
    const waiting = settledWithin(Promise.resolve(), 60_000);
    expect(keepAliveResources()).toBe(before + 1);
    await waiting;
    expect(keepAliveResources()).toBeLessThanOrEqual(before);
  });
});
