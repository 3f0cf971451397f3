import { resolveBeatOptions } from '../../../lib/scheduler/resolve-beat-options';

describe("beat's options", () => {
  it('run beat when given, with Celery-like defaults', () => {
    expect(resolveBeatOptions(undefined).run).toBe(false);
    expect(resolveBeatOptions(true)).toEqual({
      run: true,
      lockUrl: undefined,
      keyPrefix: 'celeriac:beat:',
      catchUp: 'one',
      maxCatchUp: 100,
      missedAfterMs: 10_000,
      lockTtlMs: 60_000,
      maxSleepMs: 5_000,
    });
    expect(
      resolveBeatOptions({ run: false, lockUrl: 'redis://r' }),
    ).toMatchObject({ run: false, lockUrl: 'redis://r' });
  });

  it('layer bootstrapBeat’s options over the module’s', () => {
    const module = resolveBeatOptions({
      run: false,
      lockUrl: 'redis://r',
      catchUp: 'all',
      lockTtl: '2m',
    });
    expect(resolveBeatOptions({ catchUp: 'none' }, module)).toMatchObject({
      run: true,
      lockUrl: 'redis://r',
      catchUp: 'none',
      lockTtlMs: 120_000,
    });
  });

  it('refuse what makes no sense', () => {
    expect(() => resolveBeatOptions({ catchUp: 'twice' as never })).toThrow(
      /catchUp must be 'none', 'one' or 'all'/,
    );
    expect(() => resolveBeatOptions({ maxCatchUp: 0 })).toThrow(
      /maxCatchUp must be a whole number of at least 1/,
    );
    expect(() => resolveBeatOptions({ lockTtl: 0 })).toThrow(
      /lockTtl must be more than 0/,
    );
    expect(() => resolveBeatOptions({ missedAfter: 'late' as never })).toThrow(
      /is not a duration/,
    );
  });
});
