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
    const before = keepAliveResources();
    const started = Date.now();
    await expect(settledWithin(new Promise(() => undefined), 50)).resolves.toBe(
      false,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(keepAliveResources()).toBe(before);
  });

  it('clears its timer when the promise wins', async () => {
    const before = keepAliveResources();
    await settledWithin(Promise.resolve(), 60_000);
    expect(keepAliveResources()).toBe(before);
  });
});
