/** ISO-8601 in Celery's shape: microseconds and an explicit `+00:00` offset. */
export function toCeleryIso(date: Date): string {
  // A busy worker stamps many results within one millisecond: toISOString (2% of its
  // CPU) runs once per millisecond.
  const ms = date.getTime();
  if (ms !== lastMs) {
    lastMs = ms;
    // toISOString ends in 'Z'; slicing is cheaper than a replace.
    lastIso = `${date.toISOString().slice(0, -1)}000+00:00`;
  }
  return lastIso;
}
let lastMs = Number.NaN;
let lastIso = '';

/**
 * `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM[:SS[.fraction]]`,
 * optionally followed by `Z` or an offset `±HH[:MM[:SS]]`: what Python's
 * `isoformat()` writes, in every precision it writes.
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2})(?::?(\d{2}))?)?)?$/i;

/**
 * Parses an ISO-8601 time from a Celery header or result. A time without an offset
 * is UTC (Celery's `enable_utc` default), never the local zone. Fractions finer than
 * a millisecond are truncated (`.867098` is 867 ms). Anything else (`"1"`, `"May 1"`,
 * February 30th) is not a time: null.
 */
export function parseCeleryIso(text: string): Date | null {
  const match = ISO_8601.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map((part) => (part === undefined ? 0 : Number(part)));
  const fraction = match[7] ?? '';
  const millisecond = Number(fraction.padEnd(3, '0').slice(0, 3));
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return null;
  }
  let offsetSeconds = 0;
  if (match[9] !== undefined) {
    const [offsetHours, offsetMinutes, offsetSecs] = match
      .slice(10, 13)
      .map((part) => (part === undefined ? 0 : Number(part)));
    if (offsetHours > 23 || offsetMinutes > 59 || offsetSecs > 59) return null;
    const sign = match[9] === '-' ? -1 : 1;
    offsetSeconds =
      sign * (offsetHours * 3600 + offsetMinutes * 60 + offsetSecs);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return new Date(date.getTime() - offsetSeconds * 1000);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}
