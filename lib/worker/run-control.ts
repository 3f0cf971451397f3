/**
 * The worker's hold on one running task: the AbortSignal the task sees, and a promise
 * that settles when the worker stops waiting for it (hard time limit, terminate).
 */
export class RunControl {
  private readonly controller = new AbortController();
  private giveUp!: (reason: Error) => void;
  /** Resolves with the reason once the worker gives up on the task. */
  readonly abandoned = new Promise<Error>((resolve) => (this.giveUp = resolve));
  private reason: Error | null = null;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the worker gave up on the task, or null while it waits for it. */
  get abandonReason(): Error | null {
    return this.reason;
  }

  /** Tells the task to stop (its signal aborts); the worker keeps waiting for it. */
  interrupt(reason: Error): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** Stops waiting for the task, and tells it to stop. */
  abandon(reason: Error): void {
    if (this.reason) return;
    this.reason = reason;
    this.giveUp(reason);
    this.interrupt(reason);
  }
}
