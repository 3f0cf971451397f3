/** Tasks finished in one second, by outcome. */
export interface ThroughputPoint {
  /** The second (seconds since the epoch). */
  at: number;
  succeeded: number;
  failed: number;
  retried: number;
}

export type Outcome = 'succeeded' | 'failed' | 'retried';

/**
 * Per-second counts of succeeded, failed and retried tasks over the last `seconds`
 * (15 minutes by default), by the time this process heard of them: a ring of buckets,
 * so memory and work per event stay constant.
 */
export class Throughput {
  private readonly buckets: ThroughputPoint[];

  constructor(
    readonly seconds = 900,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {
    this.buckets = Array.from({ length: seconds }, () => ({
      at: -1,
      succeeded: 0,
      failed: 0,
      retried: 0,
    }));
  }

  count(outcome: Outcome): void {
    this.countAt(outcome, this.now());
  }

  /** Counts an outcome heard earlier, at `at` (seconds), when it is within the window. */
  countAt(outcome: Outcome, at: number): void {
    const second = Math.floor(at);
    const now = Math.floor(this.now());
    if (second > now - this.seconds && second <= now)
      this.bucket(second)[outcome]++;
  }

  /** The point of one second (zeros when nothing finished then). */
  at(second: number): ThroughputPoint {
    const bucket = this.buckets[second % this.seconds];
    return bucket.at === second
      ? { ...bucket }
      : { at: second, succeeded: 0, failed: 0, retried: 0 };
  }

  /** Every second of the window, oldest first, up to the last full second. */
  series(): ThroughputPoint[] {
    const last = Math.floor(this.now()) - 1;
    const points: ThroughputPoint[] = [];
    for (let second = last - this.seconds + 1; second <= last; second++)
      points.push(this.at(second));
    return points;
  }

  private bucket(second: number): ThroughputPoint {
    const bucket = this.buckets[second % this.seconds];
    if (bucket.at !== second) {
      bucket.at = second;
      bucket.succeeded = bucket.failed = bucket.retried = 0;
    }
    return bucket;
  }
}
