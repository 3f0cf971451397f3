import { InFlight } from '../../../lib/common/in-flight';

describe('InFlight', () => {
  it('resolves true at once when none is under way', async () => {
    await expect(new InFlight().whenNone(10)).resolves.toBe(true);
  });

  it('waits for the last one, counting those begun meanwhile', async () => {
    const inFlight = new InFlight();
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
    const inFlight = new InFlight();
    inFlight.begin();
    await expect(inFlight.whenNone(20)).resolves.toBe(false);
    const later = inFlight.whenNone(1000);
    inFlight.end();
    await expect(later).resolves.toBe(true);
  });

  it('refuses an end without a begin', () => {
    expect(() => new InFlight().end()).toThrow(/without a begin/);
  });
});
