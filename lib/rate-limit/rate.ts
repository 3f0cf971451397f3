/** A parsed rate limit: one run every `intervalMs` (a token bucket of capacity 1, as Celery). */
export interface Rate {
  /** The rate as written, for logs. */
  text: string;
  /** Milliseconds between two runs. */
  intervalMs: number;
}

const PERIOD_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Reads a rate as Celery (kombu's `rate()`) does: `'10/s'`, `'100/m'`, `'1000/h'`
 * (`/sec`, `/min`, `/hour` too), or a number per second. 0 means no limit (null).
 * Throws a RangeError saying what is expected.
 */
export function parseRate(value: unknown): Rate | null {
  let count: number;
  let periodMs = 1000;
  if (typeof value === 'number') {
    count = value;
  } else if (typeof value === 'string') {
    const match =
      /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours))?\s*$/i.exec(
        value,
      );
    if (!match) throw new RangeError(EXPECTED);
    count = Number(match[1]);
    if (match[2]) periodMs = PERIOD_MS[match[2][0].toLowerCase()];
  } else {
    throw new RangeError(EXPECTED);
  }
  if (!Number.isFinite(count) || count < 0) throw new RangeError(EXPECTED);
  if (count === 0) return null;
  return { text: String(value), intervalMs: periodMs / count };
}

const EXPECTED = "expected '10/s', '100/m', '1000/h' or a number per second";
