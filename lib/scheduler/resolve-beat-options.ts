import { toMilliseconds } from '../common/duration';
import { BeatOptions, ResolvedBeatOptions } from '../options/beat-options';
import { BeatConfigurationError } from './errors';

const DEFAULTS: ResolvedBeatOptions = {
  run: false,
  lockUrl: undefined,
  keyPrefix: 'celeriac:beat:',
  catchUp: 'one',
  maxCatchUp: 100,
  missedAfterMs: 10_000,
  lockTtlMs: 60_000,
  maxSleepMs: 5_000,
};

const POLICIES = ['none', 'one', 'all'];

/** The module's `beat` option (or bootstrapBeat's, over the module's), checked. */
export function resolveBeatOptions(
  beat: boolean | BeatOptions | undefined,
  base: ResolvedBeatOptions = DEFAULTS,
): ResolvedBeatOptions {
  if (beat === undefined || beat === false) return { ...base };
  const options: BeatOptions = beat === true ? {} : beat;
  const catchUp = options.catchUp ?? base.catchUp;
  checkCatchUp(catchUp, 'beat catchUp');
  const maxCatchUp = options.maxCatchUp ?? base.maxCatchUp;
  if (!Number.isInteger(maxCatchUp) || maxCatchUp < 1) {
    throw new BeatConfigurationError(
      `beat maxCatchUp must be a whole number of at least 1, got ${maxCatchUp}`,
    );
  }
  return {
    run: options.run ?? true,
    lockUrl: options.lockUrl ?? base.lockUrl,
    keyPrefix: options.keyPrefix ?? base.keyPrefix,
    catchUp,
    maxCatchUp,
    missedAfterMs: positiveMs(
      options.missedAfter,
      base.missedAfterMs,
      'missedAfter',
    ),
    lockTtlMs: positiveMs(options.lockTtl, base.lockTtlMs, 'lockTtl'),
    maxSleepMs: positiveMs(options.maxSleep, base.maxSleepMs, 'maxSleep'),
  };
}

export function checkCatchUp(value: unknown, what: string): void {
  if (!POLICIES.includes(value as string)) {
    throw new BeatConfigurationError(
      `${what} must be 'none', 'one' or 'all', got ${JSON.stringify(value)}`,
    );
  }
}

function positiveMs(
  value: BeatOptions['lockTtl'],
  fallback: number,
  what: string,
): number {
  if (value === undefined) return fallback;
  const ms = toMilliseconds(value, 's', `beat ${what}`);
  if (!(ms > 0))
    throw new BeatConfigurationError(
      `beat ${what} must be more than 0, got ${String(value)}`,
    );
  return ms;
}
