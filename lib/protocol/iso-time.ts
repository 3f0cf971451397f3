/** ISO-8601 in Celery's shape: microseconds and an explicit `+00:00` offset. */
export function toCeleryIso(date: Date): string {
  return date.toISOString().replace('Z', '000+00:00');
}

/**
 * Parses an ISO-8601 time from a Celery header or result. A time without an offset
 * is UTC (Celery's `enable_utc` default), never the local zone.
 */
export function parseCeleryIso(text: string): Date | null {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const date = new Date(hasZone ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
