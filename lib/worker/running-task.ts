import { toMilliseconds } from '../common/duration';
import { TaskRequest } from '../protocol';
import { MaxRetriesExceededError, Retry } from './errors';
import { RetryPolicy } from '../registry/retry-policy';
import { isNeverRetried, retryDelayMs } from './retry-decision';
import { RunControl } from './run-control';
import { CurrentTask, RetryRequest } from '../context/task-context.service';

/** Where a run happens: its queue (null when eager) and how progress is stored. */
export interface RunEnvironment {
  queue: string | null;
  eager: boolean;
  control: RunControl;
  policy: RetryPolicy;
  storeProgress(meta: unknown): Promise<void>;
}

/** The CurrentTask of one run. */
export class RunningTask implements CurrentTask {
  /** The last progress write under way; null when progress was never reported. */
  private pending: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly request: TaskRequest,
    private readonly env: RunEnvironment,
  ) {}

  get id(): string {
    return this.request.id;
  }
  get name(): string {
    return this.request.name;
  }
  get retries(): number {
    return this.request.retries;
  }
  get maxRetries(): number {
    return this.env.policy.maxRetries;
  }
  get queue(): string | null {
    return this.env.queue;
  }
  get headers(): Readonly<Record<string, unknown>> {
    return this.request.message.headers ?? {};
  }
  get rootId(): string {
    return this.request.rootId;
  }
  get parentId(): string | null {
    return this.request.parentId;
  }
  get eta(): Date | null {
    return this.request.eta;
  }
  get expires(): Date | null {
    return this.request.expires;
  }
  get eager(): boolean {
    return this.env.eager;
  }
  get signal(): AbortSignal {
    return this.env.control.signal;
  }

  throwIfAborted(): void {
    const reason = this.env.control.interrupted;
    if (reason) throw reason;
  }

  progress(meta: unknown): Promise<void> {
    if (this.closed) return Promise.resolve();
    const write = (this.pending ?? Promise.resolve()).then(() =>
      this.closed ? undefined : this.env.storeProgress(meta),
    );
    this.pending = write.catch(() => undefined);
    return write;
  }

  retry(request: RetryRequest = {}): never {
    const { error } = request;
    if (isNeverRetried(error)) throw error;
    const maxRetries = request.maxRetries ?? this.env.policy.maxRetries;
    if (this.request.retries >= maxRetries) {
      const final =
        error ?? new MaxRetriesExceededError(this.name, this.id, maxRetries);
      // The task's own error, whatever it is, as Celery re-raises `exc`.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw final;
    }
    throw new Retry(error, this.retryAt(request));
  }

  /**
   * Ends the run: later progress is dropped. Returns a promise of the progress writes
   * still under way, or undefined when there are none (no await on the hot path).
   */
  close(): Promise<void> | undefined {
    if (!this.pending) {
      this.closed = true;
      return undefined;
    }
    return this.drain();
  }

  private async drain(): Promise<void> {
    let current: Promise<void> | null;
    do {
      current = this.pending;
      await current;
    } while (current !== this.pending);
    this.closed = true;
  }

  private retryAt(request: RetryRequest): Date {
    if (request.eta !== undefined && request.countdown !== undefined) {
      throw new TypeError('retry: give either eta or countdown, not both');
    }
    if (request.eta !== undefined) {
      if (
        !(request.eta instanceof Date) ||
        Number.isNaN(request.eta.getTime())
      ) {
        throw new RangeError(
          `retry: eta ${String(request.eta)} is not a valid time`,
        );
      }
      return request.eta;
    }
    const ms =
      request.countdown === undefined
        ? retryDelayMs(this.env.policy, this.request.retries)
        : toMilliseconds(request.countdown, 's', 'retry countdown');
    if (ms < 0) {
      throw new RangeError(
        `retry: countdown must not be negative, got ${String(request.countdown)}`,
      );
    }
    return new Date(Date.now() + ms);
  }
}
