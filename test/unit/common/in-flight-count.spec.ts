import { InFlightCount } from '../../../lib/common/in-flight-count';

describe('InFlightCount', () => {
  it('resolves true at once when none is under way', async () => {
    await expect(new InFlightCount().whenNone(10)).resolves.toBe(true);
  });

  it('waits for the last one, counting those begun meanwhile', async () => {
    const inFlight = new InFlightCount();
    inFlight.begin();
    inFlight.begin();
    let none: boolean | undefined;
    void inFlight.whenNone().then((value) => (none = value));
    inFlight.end();
    inFlight.begin();
    inFlight.end();
    await Promise.resolve();
    expect(none).toBeUndefined();
    expect(inFlight.size).toBe(1);
    inFlight.end();
    await Promise.resolve();
    expect(none).toBe(true);
    expect(inFlight.size).toBe(0);
  });

  it('resolves false when the time runs out first, and forgets that waiter', async () => {
    const inFlight = new InFlightCount();
    inFlight.begin();
    await expect(inFlight.whenNone(20)).resolves.toBe(false);
    const later = inFlight.whenNone(1000);
    inFlight.end();
    await expect(later).resolves.toBe(true);
  });

  it('takes an end without a begin as nothing (it runs in a finally)', async () => {
    const inFlight = new InFlightCount();
    inFlight.end();
    expect(inFlight.size).toBe(0);
    inFlight.begin();
    let none = false;
    void inFlight.whenNone().then(() => (none = true));
    await Promise.resolve();
    expect(none).toBe(false);
    inFlight.end();
    await Promise.resolve();
    expect(none).toBe(true);
  });
});
