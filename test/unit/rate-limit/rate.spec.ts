import { parseRate } from '../../../lib/rate-limit/rate';

describe('rate limits', () => {
  it('reads Celery’s rate strings and numbers per second', () => {
    expect(parseRate('10/s')?.intervalMs).toBe(100);
    expect(parseRate('100/m')?.intervalMs).toBe(600);
    expect(parseRate('1000/h')?.intervalMs).toBe(3600);
    expect(parseRate('2/min')?.intervalMs).toBe(30_000);
    expect(parseRate(' 4 / sec ')?.intervalMs).toBe(250);
    expect(parseRate(20)?.intervalMs).toBe(50);
    expect(parseRate('5')?.intervalMs).toBe(200);
    expect(parseRate(0)).toBeNull();
    expect(parseRate('0/m')).toBeNull();
  });

  it('refuses what does not parse', () => {
    for (const bad of ['10/d', 'ten/s', '10/', '-1/s', '', {}, NaN, -2]) {
      expect(() => parseRate(bad)).toThrow(/expected '10\/s', '100\/m'/);
    }
  });
});
