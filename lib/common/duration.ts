/** A length of time: a number in the unit the option names, or a string with its unit. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Milliseconds from a Duration. Plain numbers are in `numberUnit`: seconds for the
 * options named after Celery's (countdown, expires, timeout), as Celery has them.
 */
export function toMilliseconds(
  value: Duration,
  numberUnit: 's' | 'ms',
  what: string,
): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new RangeError(`${what} must be a finite number, got ${value}`);
    return numberUnit === 's' ? value * 1000 : value;
  }
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(String(value));
  if (!match) {
    throw new RangeError(
      `${what} ${JSON.stringify(value)} is not a duration (use a number or '500ms', '10s', '5m', '2h', '1d')`,
    );
  }
  return Number(match[1]) * UNIT_MS[match[2]];
}
