/**
 * The `limit` names (or workers) whose newest task was first seen last, from records
 * seen newest first; of values whose newest tasks tie, the greater goes first, as the
 * Redis store's ZREVRANGE orders equal scores. Given in alphabetical order.
 */
export class NewestValues {
  private readonly newest = new Map<string, number>();
  /** The newest time of the `limit`-th value: older records cannot enter. */
  private boundary: number;

  constructor(private readonly limit: number) {
    this.boundary = limit > 0 ? -Infinity : Infinity;
  }

  see(value: string | null | undefined, time: number): void {
    if (!value || this.newest.has(value) || time < this.boundary) return;
    this.newest.set(value, time);
    if (this.newest.size === this.limit) this.boundary = time;
  }

  /** Whether no record first seen at `time` or before it can enter any more. */
  full(time: number): boolean {
    return time < this.boundary;
  }

  values(): string[] {
    return [...this.newest]
      .sort(([a, at], [b, bt]) => bt - at || (a < b ? 1 : a > b ? -1 : 0))
      .slice(0, Math.max(0, this.limit))
      .map(([value]) => value)
      .sort();
  }
}
