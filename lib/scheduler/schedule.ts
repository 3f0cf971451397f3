/**
 * When a periodic task is due. Times are milliseconds since the Unix epoch; a tick is
 * the exact time a run is due, the same on every beat (so it can key a fleet-wide lock).
 */
export interface Schedule {
  readonly kind: 'interval' | 'cron';
  /** For logs and the registry: `every 15m`, `cron "0 * * * *" in Europe/Paris`. */
  readonly description: string;
  /** The first tick strictly after `after`. */
  next(after: number): number;
  /** The latest tick at or before `atOrBefore`, or undefined when there is none. */
  previous(atOrBefore: number): number | undefined;
}
